package dev.deckhand.local.ssm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deckhand.local.Clients;
import dev.deckhand.local.LocalCloud;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.Parameter;
import software.amazon.awssdk.services.ssm.model.ParameterAlreadyExistsException;
import software.amazon.awssdk.services.ssm.model.ParameterNotFoundException;
import software.amazon.awssdk.services.ssm.model.ParameterType;
import software.amazon.awssdk.services.ssm.model.SsmException;

/** Behaviour from the Systems Manager API reference (PutParameter, GetParameter, GetParametersByPath). */
class ParameterStoreIT {

    private static LocalCloud cloud;
    private static SsmClient ssm;

    @BeforeAll
    static void start() {
        cloud = LocalCloud.builder().port(0).dynamoDb(false).build().start();
        ssm = Clients.ssm(cloud);
    }

    @AfterAll
    static void stop() {
        ssm.close();
        cloud.close();
    }

    @Test
    void returnsAParameterThatWasPut() {
        var put = ssm.putParameter(r -> r.name("/deckhand/test/config").value("{\"services\":[]}").type(ParameterType.STRING));

        Parameter parameter = ssm.getParameter(r -> r.name("/deckhand/test/config").withDecryption(true)).parameter();

        assertThat(put.version()).isEqualTo(1L);
        assertThat(parameter.value()).isEqualTo("{\"services\":[]}");
        assertThat(parameter.type()).isEqualTo(ParameterType.STRING);
        assertThat(parameter.version()).isEqualTo(1L);
        assertThat(parameter.arn()).isEqualTo("arn:aws:ssm:us-east-1:000000000000:parameter/deckhand/test/config");
        assertThat(parameter.lastModifiedDate()).isNotNull();
    }

    @Test
    void answersParameterNotFoundForAnUnknownName() {
        assertThatThrownBy(() -> ssm.getParameter(r -> r.name("/deckhand/missing")))
                .isInstanceOf(ParameterNotFoundException.class)
                .satisfies(e -> assertThat(((SsmException) e).statusCode()).isEqualTo(400));
    }

    @Test
    void refusesToOverwriteUnlessAsked() {
        ssm.putParameter(r -> r.name("/deckhand/test/once").value("a").type(ParameterType.STRING));

        assertThatThrownBy(() -> ssm.putParameter(r -> r.name("/deckhand/test/once").value("b").type(ParameterType.STRING)))
                .isInstanceOf(ParameterAlreadyExistsException.class);
        assertThat(ssm.getParameter(r -> r.name("/deckhand/test/once")).parameter().value()).isEqualTo("a");
    }

    @Test
    void overwritingIncrementsTheVersion() {
        ssm.putParameter(r -> r.name("/deckhand/test/versioned").value("1").type(ParameterType.STRING));

        var second = ssm.putParameter(r -> r.name("/deckhand/test/versioned").value("2").overwrite(true));

        assertThat(second.version()).isEqualTo(2L);
        Parameter parameter = ssm.getParameter(r -> r.name("/deckhand/test/versioned")).parameter();
        assertThat(parameter.value()).isEqualTo("2");
        assertThat(parameter.type()).isEqualTo(ParameterType.STRING);
    }

    @Test
    void getsOneLevelOfAPathUnlessRecursive() {
        ssm.putParameter(r -> r.name("/tree/a").value("1").type(ParameterType.STRING));
        ssm.putParameter(r -> r.name("/tree/b").value("2").type(ParameterType.SECURE_STRING));
        ssm.putParameter(r -> r.name("/tree/sub/c").value("3").type(ParameterType.STRING));
        ssm.putParameter(r -> r.name("/treetop").value("x").type(ParameterType.STRING));

        List<String> oneLevel = ssm.getParametersByPath(r -> r.path("/tree")).parameters().stream()
                .map(Parameter::name).toList();
        List<String> recursive = ssm.getParametersByPath(r -> r.path("/tree/").recursive(true).withDecryption(true))
                .parameters().stream().map(Parameter::name).toList();

        assertThat(oneLevel).containsExactly("/tree/a", "/tree/b");
        assertThat(recursive).containsExactly("/tree/a", "/tree/b", "/tree/sub/c");
    }

    @Test
    void paginatesAPathWithNextToken() {
        for (int i = 0; i < 12; i++) {
            String name = String.format("/paged/p%02d", i);
            ssm.putParameter(r -> r.name(name).value("v").type(ParameterType.STRING));
        }

        var firstPage = ssm.getParametersByPath(r -> r.path("/paged").maxResults(5));
        List<String> all = ssm.getParametersByPathPaginator(r -> r.path("/paged").maxResults(5)).stream()
                .flatMap(page -> page.parameters().stream())
                .map(Parameter::name).toList();

        assertThat(firstPage.parameters()).hasSize(5);
        assertThat(firstPage.nextToken()).isNotBlank();
        assertThat(all).hasSize(12).doesNotHaveDuplicates().startsWith("/paged/p00").endsWith("/paged/p11");
    }

    @Test
    void aTokenSsmDidNotIssueIsInvalidNextToken() {
        ssm.putParameter(r -> r.name("/forged/a").value("v").type(ParameterType.STRING));

        // API_GetParametersByPath, Errors: InvalidNextToken, "The specified token isn't valid."
        assertThatThrownBy(() -> ssm.getParametersByPath(r -> r.path("/forged").nextToken("/forged/a")))
                .isInstanceOf(software.amazon.awssdk.services.ssm.model.InvalidNextTokenException.class);
    }

    @Test
    void getParametersReportsUnknownNamesAsInvalid() {
        ssm.putParameter(r -> r.name("/batch/known").value("k").type(ParameterType.STRING));

        var answer = ssm.getParameters(r -> r.names("/batch/known", "/batch/unknown"));

        assertThat(answer.parameters()).extracting(Parameter::name).containsExactly("/batch/known");
        assertThat(answer.invalidParameters()).containsExactly("/batch/unknown");
    }

    @Test
    void requiresATypeForANewParameter() {
        assertThatThrownBy(() -> ssm.putParameter(r -> r.name("/deckhand/untyped").value("v")))
                .isInstanceOf(SsmException.class)
                .satisfies(e -> assertThat(((SsmException) e).awsErrorDetails().errorCode()).isEqualTo("ValidationException"));
    }

    @Test
    void deletesAParameter() {
        ssm.putParameter(r -> r.name("/deckhand/test/gone").value("v").type(ParameterType.STRING));

        ssm.deleteParameter(r -> r.name("/deckhand/test/gone"));

        assertThatThrownBy(() -> ssm.getParameter(r -> r.name("/deckhand/test/gone")))
                .isInstanceOf(ParameterNotFoundException.class);
        assertThatThrownBy(() -> ssm.deleteParameter(r -> r.name("/deckhand/test/gone")))
                .isInstanceOf(ParameterNotFoundException.class);
    }
}
