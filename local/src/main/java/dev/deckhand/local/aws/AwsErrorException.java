package dev.deckhand.local.aws;

/**
 * An error answered the way AWS answers it: an HTTP status, the error code the SDK maps to a
 * modelled exception (e.g. {@code ServiceNotFoundException}) and a message.
 */
public final class AwsErrorException extends RuntimeException {

    private final int httpStatus;
    private final String errorCode;

    public AwsErrorException(int httpStatus, String errorCode, String message) {
        super(message);
        this.httpStatus = httpStatus;
        this.errorCode = errorCode;
    }

    /** A client-side (400) error with the given AWS error code. */
    public static AwsErrorException clientError(String errorCode, String message) {
        return new AwsErrorException(400, errorCode, message);
    }

    /** What AWS answers for an operation a service does not have. */
    public static AwsErrorException unsupportedOperation(String operation) {
        return new AwsErrorException(400, "UnknownOperationException",
                "Operation " + operation + " is not supported by the Deckhand local cloud");
    }

    public int httpStatus() {
        return httpStatus;
    }

    public String errorCode() {
        return errorCode;
    }
}
