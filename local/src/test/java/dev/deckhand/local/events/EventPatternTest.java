package dev.deckhand.local.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/**
 * Each expectation comes from the EventBridge user guide: "Creating event patterns"
 * (eb-event-patterns.html) and "Content filtering in Amazon EventBridge event patterns"
 * (eb-event-patterns-content-based-filtering.html); patterns and events are the guide's examples,
 * quoted in single-quoted JSON for readability.
 */
class EventPatternTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode event(String singleQuoted) {
        try {
            return JSON.readTree(singleQuoted.replace('\'', '"'));
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static boolean matches(String pattern, String event) {
        return EventPattern.parse(pattern.replace('\'', '"')).matches(event(event));
    }

    // "Creating event patterns": the EC2 state-change example; fields are ANDed, values ORed.
    private static final String EC2_EVENT = """
            {'version':'0','id':'6a7e8feb-b491-4cf7-a9f1-bf3703467718','detail-type':'EC2 Instance State-change Notification',
             'source':'aws.ec2','account':'111122223333','time':'2017-12-22T18:43:48Z','region':'us-west-1',
             'resources':['arn:aws:ec2:us-west-1:123456789012:instance/i-1234567890abcdef0'],
             'detail':{'instance-id':'i-1234567890abcdef0','state':'terminated'}}""";

    @Test
    void matchesExactValuesAndTreatsListedValuesAsOr() {
        assertThat(matches("{'source':['aws.ec2'],'detail-type':['EC2 Instance State-change Notification'],"
                + "'detail':{'state':['running','terminated']}}", EC2_EVENT)).isTrue();
        assertThat(matches("{'source':['aws.ec2'],'detail':{'state':['running','pending']}}", EC2_EVENT)).isFalse();
    }

    @Test
    void requiresEveryPatternFieldToMatch() {
        assertThat(matches("{'source':['aws.ec2'],'region':['eu-west-1']}", EC2_EVENT)).isFalse();
    }

    @Test
    void matchesWhenAnyElementOfAnEventArrayMatches() {
        // "Matching values in arrays": resources is an array in the event.
        assertThat(matches("{'resources':['arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f',"
                + "'arn:aws:ec2:us-west-1:123456789012:instance/i-1234567890abcdef0']}", EC2_EVENT)).isTrue();
        assertThat(matches("{'resources':['arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f']}", EC2_EVENT))
                .isFalse();
    }

    @Test
    void matchesNullAndEmptyStringOnlyExactly() {
        // "Null values and empty strings".
        String event = "{'detail':{'eventVersion':'','responseElements':null}}";
        assertThat(matches("{'detail':{'responseElements':[null]}}", event)).isTrue();
        assertThat(matches("{'detail':{'eventVersion':['']}}", event)).isTrue();
        assertThat(matches("{'detail':{'eventVersion':[null]}}", event)).isFalse();
        assertThat(matches("{'detail':{'missing':[null]}}", event)).isFalse();
    }

    @Test
    void matchesNumbersByValueAndNotAgainstStrings() {
        assertThat(matches("{'detail':{'x':[5]}}", "{'detail':{'x':5.0}}")).isTrue();
        assertThat(matches("{'detail':{'x':['5']}}", "{'detail':{'x':5}}")).isFalse();
    }

    @Test
    void prefixMatchesTheStartOfAString() {
        // "Prefix matching": "time": [{"prefix": "2017-10-02"}].
        assertThat(matches("{'time':[{'prefix':'2017-10-02'}]}", "{'time':'2017-10-02T18:43:48Z'}")).isTrue();
        assertThat(matches("{'time':[{'prefix':'2017-10-02'}]}", "{'time':'2017-10-03T18:43:48Z'}")).isFalse();
    }

    @Test
    void prefixCanIgnoreCase() {
        // "Prefix matching while ignoring case": matches EventB, EVENTB, eventb...
        String pattern = "{'detail':{'service':[{'prefix':{'equals-ignore-case':'EventB'}}]}}";
        assertThat(matches(pattern, "{'detail':{'service':'EVENTBRIDGE'}}")).isTrue();
        assertThat(matches(pattern, "{'detail':{'service':'eventbus'}}")).isTrue();
        assertThat(matches(pattern, "{'detail':{'service':'events'}}")).isFalse();
    }

    @Test
    void suffixMatchesTheEndOfAStringOptionallyIgnoringCase() {
        // "Suffix matching" and "Suffix matching while ignoring case": FileName ending in .png.
        assertThat(matches("{'FileName':[{'suffix':'.png'}]}", "{'FileName':'image.png'}")).isTrue();
        assertThat(matches("{'FileName':[{'suffix':'.png'}]}", "{'FileName':'image.PNG'}")).isFalse();
        assertThat(matches("{'detail':{'FileName':[{'suffix':{'equals-ignore-case':'.png'}}]}}",
                "{'detail':{'FileName':'image.PNG'}}")).isTrue();
    }

    @Test
    void anythingButExcludesAStringOrANumber() {
        // "Anything-but matching": "state": [{"anything-but": "initializing"}], "x-limit": [{"anything-but": 123}].
        assertThat(matches("{'detail':{'state':[{'anything-but':'initializing'}]}}",
                "{'detail':{'state':'pending'}}")).isTrue();
        assertThat(matches("{'detail':{'state':[{'anything-but':'initializing'}]}}",
                "{'detail':{'state':'initializing'}}")).isFalse();
        assertThat(matches("{'detail':{'x-limit':[{'anything-but':123}]}}", "{'detail':{'x-limit':456}}")).isTrue();
        assertThat(matches("{'detail':{'x-limit':[{'anything-but':123}]}}", "{'detail':{'x-limit':123}}")).isFalse();
    }

    @Test
    void anythingButExcludesEachValueOfAList() {
        // "Anything-but matching": lists of strings or of numbers.
        String strings = "{'detail':{'state':[{'anything-but':['stopped','overloaded']}]}}";
        assertThat(matches(strings, "{'detail':{'state':'pending'}}")).isTrue();
        assertThat(matches(strings, "{'detail':{'state':'overloaded'}}")).isFalse();
        String numbers = "{'detail':{'x-limit':[{'anything-but':[100,200,300]}]}}";
        assertThat(matches(numbers, "{'detail':{'x-limit':150}}")).isTrue();
        assertThat(matches(numbers, "{'detail':{'x-limit':200}}")).isFalse();
    }

    @Test
    void anythingButDoesNotMatchAMissingField() {
        assertThat(matches("{'detail':{'state':[{'anything-but':'initializing'}]}}", "{'detail':{}}")).isFalse();
    }

    @Test
    void anythingButPrefixAndSuffixExcludeStartsAndEnds() {
        // "Anything-but matching": {"anything-but": {"prefix": "init"}} and {"anything-but": {"suffix": ".txt"}}.
        String prefix = "{'detail':{'state':[{'anything-but':{'prefix':'init'}}]}}";
        assertThat(matches(prefix, "{'detail':{'state':'running'}}")).isTrue();
        assertThat(matches(prefix, "{'detail':{'state':'initializing'}}")).isFalse();
        String suffix = "{'detail':{'FileName':[{'anything-but':{'suffix':'.txt'}}]}}";
        assertThat(matches(suffix, "{'detail':{'FileName':'notes.md'}}")).isTrue();
        assertThat(matches(suffix, "{'detail':{'FileName':'notes.txt'}}")).isFalse();
    }

    @Test
    void anythingButCanIgnoreCase() {
        // "Anything-but matching": {"anything-but": {"equals-ignore-case": ["Stopped", "OverLoaded"]}}.
        String pattern = "{'detail':{'state':[{'anything-but':{'equals-ignore-case':['Stopped','OverLoaded']}}]}}";
        assertThat(matches(pattern, "{'detail':{'state':'STOPPED'}}")).isFalse();
        assertThat(matches(pattern, "{'detail':{'state':'overloaded'}}")).isFalse();
        assertThat(matches(pattern, "{'detail':{'state':'running'}}")).isTrue();
    }

    @Test
    void anythingButWildcardExcludesMatchingPaths() {
        // "Anything-but matching": "FilePath": [{"anything-but": {"wildcard": "*/lib/*"}}].
        String pattern = "{'detail':{'FilePath':[{'anything-but':{'wildcard':'*/lib/*'}}]}}";
        assertThat(matches(pattern, "{'detail':{'FilePath':'/usr/lib/libc.so'}}")).isFalse();
        assertThat(matches(pattern, "{'detail':{'FilePath':'/usr/bin/ls'}}")).isTrue();
    }

    @Test
    void numericMatchesRangesAndEquality() {
        // "Numeric matching": c-count (0, 5], d-count < 10, x-limit = 3.018e2, on the guide's event.
        String pattern = "{'detail':{'c-count':[{'numeric':['>',0,'<=',5]}],'d-count':[{'numeric':['<',10]}],"
                + "'x-limit':[{'numeric':['=',3.018e2]}]}}";
        assertThat(matches(pattern, "{'detail':{'c-count':5,'d-count':7,'x-limit':301.8}}")).isTrue();
        assertThat(matches(pattern, "{'detail':{'c-count':0,'d-count':7,'x-limit':301.8}}")).isFalse();
        assertThat(matches(pattern, "{'detail':{'c-count':5,'d-count':10,'x-limit':301.8}}")).isFalse();
        assertThat(matches(pattern, "{'detail':{'c-count':'5','d-count':7,'x-limit':301.8}}")).isFalse();
    }

    @Test
    void cidrMatchesIpv4AndIpv6Ranges() {
        // "IP address matching": "sourceIPAddress": [{"cidr": "10.0.0.0/24"}] and an IPv6 block.
        String v4 = "{'detail':{'sourceIPAddress':[{'cidr':'10.0.0.0/24'}]}}";
        assertThat(matches(v4, "{'detail':{'sourceIPAddress':'10.0.0.255'}}")).isTrue();
        assertThat(matches(v4, "{'detail':{'sourceIPAddress':'10.0.1.1'}}")).isFalse();
        String v6 = "{'detail':{'sourceIPAddress':[{'cidr':'2001:db8::/64'}]}}";
        assertThat(matches(v6, "{'detail':{'sourceIPAddress':'2001:db8::2a'}}")).isTrue();
        assertThat(matches(v6, "{'detail':{'sourceIPAddress':'2001:db9::2a'}}")).isFalse();
    }

    @Test
    void existsMatchesPresenceOrAbsenceOfALeaf() {
        // "Exists matching": "c-count": [{"exists": true}] / [{"exists": false}].
        assertThat(matches("{'detail':{'c-count':[{'exists':true}]}}", "{'detail':{'c-count':3}}")).isTrue();
        assertThat(matches("{'detail':{'c-count':[{'exists':true}]}}", "{'detail':{}}")).isFalse();
        assertThat(matches("{'detail':{'c-count':[{'exists':false}]}}", "{'detail':{}}")).isTrue();
        assertThat(matches("{'detail':{'c-count':[{'exists':false}]}}", "{'detail':{'c-count':3}}")).isFalse();
    }

    @Test
    void existsOnlyWorksOnLeafNodes() {
        // "Exists matching only works on leaf nodes. It does not work on intermediate nodes."
        assertThat(matches("{'detail':{'state':[{'exists':true}]}}", "{'detail':{'state':{'name':'running'}}}"))
                .isFalse();
    }

    @Test
    void equalsIgnoreCaseMatchesAnyCasing() {
        // "Equals-ignore-case matching": the detail-type example.
        String pattern = "{'detail-type':[{'equals-ignore-case':'ec2 instance state-change notification'}]}";
        assertThat(matches(pattern, EC2_EVENT)).isTrue();
        assertThat(matches(pattern, "{'detail-type':'EC2 Instance State-change'}")).isFalse();
    }

    @Test
    void wildcardMatchesAnyRunOfCharacters() {
        // "Wildcard matching": "EventBusArn": [{"wildcard": "arn:aws:events:us-east-1:*:event-bus/*"}].
        String pattern = "{'EventBusArn':[{'wildcard':'arn:aws:events:us-east-1:*:event-bus/*'}]}";
        assertThat(matches(pattern, "{'EventBusArn':'arn:aws:events:us-east-1:123456789012:event-bus/default'}"))
                .isTrue();
        assertThat(matches(pattern, "{'EventBusArn':'arn:aws:events:us-west-2:123456789012:event-bus/default'}"))
                .isFalse();
    }

    @Test
    void wildcardTreatsAnEscapedStarLiterally() {
        String pattern = "{'name':[{'wildcard':'a\\\\*b'}]}";
        assertThat(matches(pattern, "{'name':'a*b'}")).isTrue();
        assertThat(matches(pattern, "{'name':'axxb'}")).isFalse();
    }

    @Test
    void orMatchesWhenAnyAlternativeMatches() {
        // "$or matching": c-count in (0, 5] or d-count < 10 or x-limit = 301.8.
        String pattern = "{'detail':{'$or':[{'c-count':[{'numeric':['>',0,'<=',5]}]},"
                + "{'d-count':[{'numeric':['<',10]}]},{'x-limit':[{'numeric':['=',3.018e2]}]}]}}";
        assertThat(matches(pattern, "{'detail':{'c-count':9,'d-count':3,'x-limit':1}}")).isTrue();
        assertThat(matches(pattern, "{'detail':{'c-count':9,'d-count':30,'x-limit':301.8}}")).isTrue();
        assertThat(matches(pattern, "{'detail':{'c-count':9,'d-count':30,'x-limit':1}}")).isFalse();
    }

    @Test
    void orIsAndedWithSiblingFields() {
        // "$or matching": "source": ["aws.cloudwatch"] plus a $or of metricName / namespace.
        String pattern = "{'source':['aws.cloudwatch'],'$or':[{'metricName':['CPUUtilization','ReadLatency']},"
                + "{'namespace':['AWS/EC2','AWS/ES']}]}";
        assertThat(matches(pattern, "{'source':'aws.cloudwatch','namespace':'AWS/EC2'}")).isTrue();
        assertThat(matches(pattern, "{'source':'aws.ec2','namespace':'AWS/EC2'}")).isFalse();
        assertThat(matches(pattern, "{'source':'aws.cloudwatch','namespace':'AWS/S3'}")).isFalse();
    }

    @Test
    void matchesTheEcrImagePushPatternOnAPushEvent() {
        // "Amazon ECR events" (ECR user guide): the "ECR Image Action" event of a successful push.
        String pattern = "{'source':['aws.ecr'],'detail-type':['ECR Image Action'],"
                + "'detail':{'action-type':['PUSH'],'result':['SUCCESS'],'image-tag':[{'exists':true}]}}";
        String push = "{'source':'aws.ecr','detail-type':'ECR Image Action','detail':{'result':'SUCCESS',"
                + "'repository-name':'web','image-digest':'sha256:7f5b','action-type':'PUSH','image-tag':'v1'}}";
        assertThat(matches(pattern, push)).isTrue();
        assertThat(matches(pattern, push.replace("'SUCCESS'", "'FAILURE'"))).isFalse();
    }

    @Test
    void rejectsPatternsEventBridgeRejects() {
        assertThatThrownBy(() -> EventPattern.parse("[\"aws.ec2\"]"))
                .isInstanceOf(InvalidEventPatternException.class)
                .hasMessageStartingWith("Event pattern is not valid. Reason: ");
        assertThatThrownBy(() -> EventPattern.parse("{\"source\": \"aws.ec2\"}"))
                .isInstanceOf(InvalidEventPatternException.class).hasMessageContaining("source")
                .satisfies(e -> assertThat(e.getMessage()).as("one line").doesNotContain("\n"));
        assertThatThrownBy(() -> EventPattern.parse("{\"a\": [{\"contains\": \"x\"}]}"))
                .isInstanceOf(InvalidEventPatternException.class).hasMessageContaining("contains");
        assertThatThrownBy(() -> EventPattern.parse("{\"a\": [{\"numeric\": [\"!=\", 1]}]}"))
                .isInstanceOf(InvalidEventPatternException.class);
        assertThatThrownBy(() -> EventPattern.parse("{\"a\": [{\"exists\": \"yes\"}]}"))
                .isInstanceOf(InvalidEventPatternException.class);
        assertThatThrownBy(() -> EventPattern.parse("{\"a\": [{\"wildcard\": \"a**b\"}]}"))
                .isInstanceOf(InvalidEventPatternException.class);
        assertThatThrownBy(() -> EventPattern.parse("{\"a\": [{\"anything-but\": [\"x\", 1]}]}"))
                .isInstanceOf(InvalidEventPatternException.class);
        assertThatThrownBy(() -> EventPattern.parse("{\"a\": [{\"cidr\": \"10.0.0.0\"}]}"))
                .isInstanceOf(InvalidEventPatternException.class);
        assertThatThrownBy(() -> EventPattern.parse("{\"$or\": [{\"a\": [1]}]}"))
                .isInstanceOf(InvalidEventPatternException.class);
        assertThatThrownBy(() -> EventPattern.parse("{not json"))
                .isInstanceOf(InvalidEventPatternException.class);
    }
}
