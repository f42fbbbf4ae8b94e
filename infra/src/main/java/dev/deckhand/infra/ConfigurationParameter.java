package dev.deckhand.infra;

import java.nio.charset.StandardCharsets;
import software.amazon.awscdk.services.ssm.ParameterTier;
import software.amazon.awscdk.services.ssm.StringParameter;
import software.constructs.Construct;

/**
 * The validated {@code deckhand.yml}, shipped as is into an SSM String parameter, where the
 * handlers read it ({@code DECKHAND_CONFIG_PARAMETER}).
 */
public final class ConfigurationParameter extends Construct {

    /** https://docs.aws.amazon.com/systems-manager/latest/userguide/parameter-store-advanced-parameters.html */
    static final int STANDARD_MAX_BYTES = 4 * 1024;
    static final int ADVANCED_MAX_BYTES = 8 * 1024;

    private final StringParameter parameter;

    public ConfigurationParameter(Construct scope, String id, String parameterName, String configurationText) {
        super(scope, id);
        this.parameter = StringParameter.Builder.create(this, "Parameter")
                .parameterName(parameterName)
                .description("Deckhand configuration (deckhand.yml), validated at synth")
                .stringValue(configurationText)
                .tier(tierFor(configurationText))
                .build();
    }

    public StringParameter parameter() {
        return parameter;
    }

    /**
     * Standard parameters hold 4 KB and cost nothing; Advanced ones hold 8 KB and are billed, so
     * Advanced only when the file needs it.
     *
     * @throws SynthesisException beyond 8 KB
     */
    public static ParameterTier tierFor(String text) {
        int bytes = text.getBytes(StandardCharsets.UTF_8).length;
        if (bytes <= STANDARD_MAX_BYTES) {
            return ParameterTier.STANDARD;
        }
        if (bytes <= ADVANCED_MAX_BYTES) {
            return ParameterTier.ADVANCED;
        }
        throw new SynthesisException("the configuration is " + bytes + " bytes; an SSM parameter holds at most "
                + ADVANCED_MAX_BYTES + " (Advanced tier): shorten deckhand.yml (comments count)");
    }
}
