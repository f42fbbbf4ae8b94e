package dev.deckhand.statemachine.clock;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A {@link Clock} that reads an {@link EngineClock}. */
final class ClockView extends Clock {
    private final EngineClock source;
    private final ZoneId zone;

    ClockView(EngineClock source) {
        this(source, ZoneOffset.UTC);
    }

    private ClockView(EngineClock source, ZoneId zone) {
        this.source = source;
        this.zone = zone;
    }

    @Override
    public ZoneId getZone() {
        return zone;
    }

    @Override
    public Clock withZone(ZoneId newZone) {
        return new ClockView(source, newZone);
    }

    @Override
    public Instant instant() {
        return source.now();
    }
}
