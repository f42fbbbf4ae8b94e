package dev.deckhand.promote;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.core.JsonProcessingException;
import dev.deckhand.aws.Environment;
import dev.deckhand.errors.InvalidInputException;
import dev.deckhand.history.DeploymentHistory;
import dev.deckhand.json.DeckhandJson;
import dev.deckhand.json.SnapStartPriming;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.lambda.powertools.logging.PowertoolsLogging;

/**
 * The promote and status API behind API Gateway (IAM authorization): {@code POST /promotions},
 * {@code GET /deployments/{id}} and {@code GET /services/{service}/environments/{env}/deployments}.
 * Every refusal is a 4xx with a JSON body that says why; an unexpected failure is a 500 that
 * names the request id and nothing of the exception.
 */
public final class DeploymentApiHandler implements RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> {

    private static final Logger LOG = LoggerFactory.getLogger(DeploymentApiHandler.class);

    private final DeploymentApi api;

    /** Used by the Lambda runtime. */
    public DeploymentApiHandler() {
        this(Environment.wiring().deploymentApi());
    }

    public DeploymentApiHandler(DeploymentApi api) {
        this.api = api;
        SnapStartPriming.register();
    }

    /** Wires the API from its two services; for the local cloud and tests. */
    public DeploymentApiHandler(PromotionService promotions, DeploymentHistory history) {
        this(new DeploymentApi(promotions, history));
    }

    @Override
    public APIGatewayProxyResponseEvent handleRequest(APIGatewayProxyRequestEvent event, Context context) {
        return PowertoolsLogging.withLogging(context, () -> respond(event, context));
    }

    private APIGatewayProxyResponseEvent respond(APIGatewayProxyRequestEvent event, Context context) {
        try {
            DeploymentApi.Answer answer = api.answer(event);
            return json(answer.status(), answer.body());
        } catch (PromotionRefused refused) {
            return json(refused.status(), Map.of("message", refused.getMessage()));
        } catch (InvalidInputException invalid) {
            return json(400, Map.of("message", invalid.getMessage()));
        } catch (RuntimeException unexpected) {
            LOG.error("Request failed", unexpected);
            return json(500, Map.of("message", "internal error; see the function's logs",
                    "requestId", context == null ? "" : context.getAwsRequestId()));
        }
    }

    private static APIGatewayProxyResponseEvent json(int status, Object body) {
        try {
            return new APIGatewayProxyResponseEvent().withStatusCode(status)
                    .withHeaders(Map.of("Content-Type", "application/json"))
                    .withBody(DeckhandJson.MAPPER.writeValueAsString(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write an API answer", e);
        }
    }
}
