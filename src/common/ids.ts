import { randomBytes } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';

/**
 * Application-generated, time-ordered ids (UUIDv7): no AUTO_INCREMENT, so the schema moves to a
 * distributed MySQL-compatible engine unchanged, and sorting by id is sorting by creation time.
 */
export const newId = (): string => uuidv7();

export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** A verification code: 128 random bits, URL-safe (22 characters); unguessable, unlike a time-ordered id. */
export const newVerifyCode = (): string => randomBytes(16).toString('base64url');

export const VERIFY_CODE_PATTERN = /^[A-Za-z0-9_-]{22}$/;
