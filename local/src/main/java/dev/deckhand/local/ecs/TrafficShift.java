package dev.deckhand.local.ecs;

/**
 * One blue/green, linear or canary service deployment in flight: the revision serving before it
 * (blue), the one being deployed (green), and the share of each listener's traffic green gets.
 * Requests are split by weighted round robin, so a share is exact over any run of requests (at
 * 10 %, the 10th, 20th, … request reaches green) and tests need no randomness.
 */
final class TrafficShift {

    final EcsService service;
    final ServiceDeployment serviceDeployment;
    final Deployment blue;
    final Deployment green;
    /** The service's deployment configuration when the deployment started. */
    final DeploymentStrategy strategy;
    /** Green's share of production traffic, in percent. */
    double productionPercent;
    /** Green's share of test traffic, in percent. */
    double testPercent;
    /** Until the service deployment ends (succeeds, rolls back, fails or is superseded). */
    boolean active = true;
    boolean rollingBack;
    private long productionRequests;
    private long testRequests;

    TrafficShift(EcsService service, ServiceDeployment serviceDeployment, Deployment blue, Deployment green,
                 DeploymentStrategy strategy) {
        this.service = service;
        this.strategy = strategy;
        this.serviceDeployment = serviceDeployment;
        this.blue = blue;
        this.green = green;
    }

    /** The revision that answers the next request on {@code listener} ("production" or "test"). */
    synchronized Deployment route(String listener) {
        boolean test = listener.equals("test");
        double percent = test ? testPercent : productionPercent;
        long n = test ? testRequests++ : productionRequests++;
        boolean toGreen = Math.floor((n + 1) * percent / 100.0 + 1e-9) > Math.floor(n * percent / 100.0 + 1e-9);
        return toGreen ? green : blue;
    }
}
