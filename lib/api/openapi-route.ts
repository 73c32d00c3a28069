import * as z from 'zod/mini';
import type { RouteSpec } from '../http/index.js';

export const openApiRoute = {
  method: 'get',
  path: '/openapi.json',
  operationId: 'openApi',
  summary: 'This OpenAPI 3.1 document',
  tags: ['meta'],
  responses: { 200: { description: 'The document', schema: z.record(z.string(), z.unknown()) } },
} satisfies RouteSpec;
