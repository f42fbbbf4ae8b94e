package dev.deckhand.notify;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.deckhand.aws.Environment;
import dev.deckhand.json.JsonHandler;
import java.io.InputStream;
import java.io.OutputStream;

/** notify: records an outcome in the history and reports it on SNS, EventBridge and Slack. */
public final class NotifyHandler implements RequestStreamHandler {

    private final NotifyService service;

    /** Used by the Lambda runtime. */
    public NotifyHandler() {
        this(Environment.notifyService());
    }

    public NotifyHandler(NotifyService service) {
        this.service = service;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) {
        JsonHandler.handle(input, output, context, service::report);
    }
}
