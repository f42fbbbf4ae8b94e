package dev.deckhand.local.cli;

import picocli.CommandLine.IVersionProvider;

/** The version from the jar's manifest, or "development" when run from classes. */
final class VersionProvider implements IVersionProvider {

    @Override
    public String[] getVersion() {
        String version = DeckhandCommand.class.getPackage().getImplementationVersion();
        return new String[] {"deckhand " + (version == null ? "development" : version)};
    }
}
