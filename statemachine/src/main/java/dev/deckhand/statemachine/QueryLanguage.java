package dev.deckhand.statemachine;

/** The two query languages of Amazon States Language, chosen per state machine and per state. */
enum QueryLanguage {
    JSONPATH("JSONPath"),
    JSONATA("JSONata");

    final String aslName;

    QueryLanguage(String aslName) {
        this.aslName = aslName;
    }

    static QueryLanguage fromAsl(String value, String where) {
        for (QueryLanguage language : values()) {
            if (language.aslName.equals(value)) {
                return language;
            }
        }
        throw new DefinitionException(where + ": QueryLanguage must be \"JSONPath\" or \"JSONata\", not \"" + value + "\"");
    }
}
