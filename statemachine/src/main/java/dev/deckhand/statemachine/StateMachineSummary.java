package dev.deckhand.statemachine;

import java.time.Instant;

/** A state machine as ListStateMachines lists it: ARN, name and when it was created. */
public record StateMachineSummary(String stateMachineArn, String name, Instant creationDate) {
}
