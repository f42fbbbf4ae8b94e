/**
 * Simulated Amazon ECS for the local cloud: {@link dev.deckhand.local.ecs.LocalEcs} answers the ECS
 * JSON protocol (clusters, task definitions, services and their rolling deployments with circuit
 * breaker and rollback, service deployments, one-off and service tasks), emits the ECS events
 * EventBridge would receive, and gives each service an HTTP "load balancer" on loopback whose
 * answers follow the {@link dev.deckhand.local.ecr.ImageBehaviour} of the revision it serves.
 * Timing is {@link dev.deckhand.local.ecs.WorkloadTiming}, measured on an injected, usually
 * simulated, {@link java.time.Clock}.
 */
package dev.deckhand.local.ecs;
