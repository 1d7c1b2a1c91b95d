import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import { API_SCOPES } from './api.tables';

/** The registry every API operation is registered in (one per app), with the bearer scheme the operations name. */
export function newApiRegistry(): OpenAPIRegistry {
  const registry = new OpenAPIRegistry();
  registry.registerComponent('securitySchemes', 'bearer', {
    type: 'http',
    scheme: 'bearer',
    description: `An API token issued by the organisation's admin (Quản trị → API). Scopes: ${API_SCOPES.join(', ')}.`,
  });
  return registry;
}

/** The OpenAPI 3.1 document of the registered operations (generated from their zod schemas, never written by hand). */
export function apiDocument(registry: OpenAPIRegistry, version: string): Record<string, unknown> {
  const generator = new OpenApiGeneratorV31(registry.definitions);
  return generator.generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'qms-tracker API',
      version,
      description:
        'JSON API of qms-tracker for the systems around the office: dossiers pushed from the one-stop system, figures and registers read by others. ' +
        'Every request carries `Authorization: Bearer <token>`; errors are RFC 9457 problem details in the language of Accept-Language (vi or en); ' +
        'each token has a rate limit, told in the RateLimit-Policy and RateLimit headers.',
    },
    servers: [{ url: '/' }],
  }) as unknown as Record<string, unknown>;
}
