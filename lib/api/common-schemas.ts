// Schemas shared by several routes.
import * as z from 'zod/mini';

/** Signal ids are positive bigints, sent as strings (JSON numbers lose precision past 2^53). */
export const signalId = z.string().check(z.regex(/^[1-9][0-9]{0,17}$/));

export const pageLimit = z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(100)), 20);

export const cursorParam = z.optional(z.string().check(z.minLength(1), z.maxLength(512)));

export const score = z.coerce.number().check(z.minimum(0), z.maximum(100));

export const isoDateTime = z.iso.datetime({ offset: true });
