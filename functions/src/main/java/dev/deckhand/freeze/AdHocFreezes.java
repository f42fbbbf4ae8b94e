package dev.deckhand.freeze;

import java.util.Optional;

/** Where ad-hoc freezes are kept, one per service (or {@link AdHocFreeze#ALL}) and environment. */
public interface AdHocFreezes {

    /** Stores it, replacing the freeze of the same service and environment. */
    void put(AdHocFreeze freeze);

    /** @return whether there was one to remove */
    boolean delete(String service, String environment);

    /** The stored freeze of exactly this service (or {@code all}) and environment, ended or not. */
    Optional<AdHocFreeze> get(String service, String environment);

    /** No ad-hoc freezes at all: for services built without the table. */
    AdHocFreezes NONE = new AdHocFreezes() {
        @Override
        public void put(AdHocFreeze freeze) {
            throw new IllegalStateException("this service keeps no ad-hoc freezes");
        }

        @Override
        public boolean delete(String service, String environment) {
            return false;
        }

        @Override
        public Optional<AdHocFreeze> get(String service, String environment) {
            return Optional.empty();
        }
    };
}
