/**
 * Local Amazon ECR: {@link dev.deckhand.local.ecr.LocalEcr} keeps repositories and images pushed
 * locally with an {@link dev.deckhand.local.ecr.ImageBehaviour}, emits the "ECR Image Action" event
 * per tag, answers the ECR JSON protocol, and resolves the images task definitions name.
 */
package dev.deckhand.local.ecr;
