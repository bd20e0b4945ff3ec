import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { fieldError, InvalidRequestError } from './domain-error.js';
import { UUID_PATTERN } from './ids.js';

/** ?cursor=&limit= on every listing. */
export class PageQueryDto {
  @ApiPropertyOptional({ description: 'nextCursor of the previous page' })
  @IsOptional()
  @MaxLength(100)
  @IsString()
  cursor?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 500, default: 100 })
  @IsOptional()
  @Type(() => Number)
  @Min(1)
  @Max(500)
  @IsInt()
  limit = 100;
}

/** A cursor is the last row's id (UUIDv7, so ids sort by creation), opaque to clients. */
export const encodeCursor = (id: string): string => Buffer.from(id, 'utf8').toString('base64url');

export function decodeCursor(cursor: string | undefined): string | null {
  if (cursor === undefined) return null;
  const id = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!UUID_PATTERN.test(id)) throw new InvalidRequestError([fieldError('cursor', 'FIELD.CURSOR')]);
  return id;
}

/** `2024-05-20 08:00:00.123` (UTC, as MySQL returns it) → `2024-05-20T08:00:00.123Z`. */
export const isoTimestamp = (stored: string): string => `${stored.replace(' ', 'T')}Z`;
