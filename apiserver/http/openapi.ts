/**
 * OpenAPI documents: /openapi/v2 and /openapi/v3 (index and one document per group-version).
 * Not served yet: 404 until they are generated from the kinds' schemas.
 */
import type { Router } from 'express';
import type { ResourceRegistry } from '../registry/resourceRegistry';

export function mountOpenApi(router: Router, registry: ResourceRegistry): void {
  void router;
  void registry;
}
