package dev.deckhand.freeze;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deckhand.errors.InvalidInputException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AdHocFreezeServiceTest {

    private static final Instant NOW = Instant.parse("2026-12-07T03:00:00Z");
    private final Map<String, AdHocFreeze> stored = new HashMap<>();
    private final AdHocFreezes store = new AdHocFreezes() {
        @Override
        public void put(AdHocFreeze freeze) {
            stored.put(freeze.service() + "#" + freeze.environment(), freeze);
        }

        @Override
        public boolean delete(String service, String environment) {
            return stored.remove(service + "#" + environment) != null;
        }

        @Override
        public Optional<AdHocFreeze> get(String service, String environment) {
            return Optional.ofNullable(stored.get(service + "#" + environment));
        }
    };
    private final AdHocFreezeService freezes = new AdHocFreezeService(store, Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void untilIsAnInstantOrADurationFromNow() {
        assertThat(AdHocFreezeService.until("90m", NOW)).isEqualTo(NOW.plus(Duration.ofMinutes(90)));
        assertThat(AdHocFreezeService.until("2h", NOW)).isEqualTo(NOW.plus(Duration.ofHours(2)));
        assertThat(AdHocFreezeService.until("3d", NOW)).isEqualTo(NOW.plus(Duration.ofDays(3)));
        assertThat(AdHocFreezeService.until("2026-12-24T08:00:00Z", NOW)).isEqualTo(Instant.parse("2026-12-24T08:00:00Z"));
    }

    @Test
    void aPastOrUnreadableUntilOrAnEmptyReasonIsRefusedAndNothingIsStored() {
        assertThatThrownBy(() -> freezes.freeze("storefront", "prod", "audit", "2026-12-07T02:59:59Z", "me"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("until: 2026-12-07T02:59:59Z is not in the future (now: 2026-12-07T03:00:00Z)");
        assertThatThrownBy(() -> freezes.freeze("storefront", "prod", "audit", "0m", "me"))
                .hasMessageStartingWith("until: 2026-12-07T03:00:00Z is not in the future");
        assertThatThrownBy(() -> freezes.freeze("storefront", "prod", "audit", "tomorrow", "me"))
                .hasMessage("until: 'tomorrow' is neither an instant such as 2026-12-24T08:00:00Z nor a duration "
                        + "such as 90m, 2h or 3d");
        assertThatThrownBy(() -> freezes.freeze("storefront", "prod", " \t", null, "me"))
                .hasMessage("reason: required; say why it is frozen, for the people it stops");
        assertThatThrownBy(() -> freezes.freeze("storefront", "prod", "two\nlines", null, "me"))
                .hasMessageStartingWith("reason: at most 500 characters on one line");
        assertThat(stored).isEmpty();
    }

    @Test
    void theFreezeInForceIsTheServicesOrAllsWhicheverEndsLastAndAnEndedOneIsNot() {
        store.put(new AdHocFreeze("storefront", "prod", "incident", "alice", NOW.minusSeconds(60), NOW.plusSeconds(600)));
        store.put(new AdHocFreeze("all", "prod", "audit", "bob", NOW.minusSeconds(60), null));
        store.put(new AdHocFreeze("all", "staging", "ended", "bob", NOW.minusSeconds(600), NOW));

        assertThat(freezes.inForce("storefront", "prod")).map(AdHocFreeze::reason).contains("audit");
        assertThat(freezes.inForce("billing-worker", "prod")).map(AdHocFreeze::by).contains("bob");
        assertThat(freezes.inForce("storefront", "staging")).isEmpty();
        // Open-ended: the lock waits until the next re-check, not forever.
        assertThat(freezes.freezeAt("storefront", "prod", NOW)).map(FreezeSettings.Freeze::until)
                .contains(NOW.plus(AdHocFreezeService.RECHECK));

        assertThat(freezes.unfreeze("all", "prod")).isTrue();
        assertThat(freezes.freezeAt("storefront", "prod", NOW)).map(FreezeSettings.Freeze::until)
                .contains(NOW.plusSeconds(600));
        assertThat(freezes.unfreeze("all", "prod")).isFalse();
    }
}
