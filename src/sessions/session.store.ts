import { Inject, Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Redis } from 'ioredis';
import { createHash, randomBytes } from 'node:crypto';
import type { AppConfig } from '../config/environment.js';
import { REDIS } from '../redis/redis.module.js';

/** What an organisation user may act as: the provider, employer or authority registered with its code. */
export interface Acting {
  role: 'provider' | 'employer' | 'authority';
  id: string;
  name: string;
}

export interface SessionData {
  kind: 'applicant' | 'organisation';
  name: string;
  /** Applicants: the ID number's HMAC (hex) and masked form; never the number. */
  personKey?: string;
  idNumberMasked?: string;
  /** The ID number's AES-GCM ciphertext (base64), so that a self-report can record the person. */
  idNumberCipher?: string;
  /** Organisations: the unified social credit code and what the user acts as. */
  orgCode?: string;
  acting: Acting[];
  csrfToken: string;
  createdAt: string;
}

/** One sign-in in progress: what the callback must see again, bound to the browser that started it. */
export interface PendingLogin {
  codeVerifier: string;
  nonce: string;
  next: string;
  browserBinding: string;
}

const LOGIN_TTL_SECONDS = 600;
const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');
export const randomToken = () => randomBytes(32).toString('base64url');

/**
 * Server-side sessions in Redis: the cookie holds a random id, Redis its SHA-256 as the key (so a
 * copy of Redis holds no usable session id), with a TTL renewed on use. Deleted at logout.
 */
@Injectable()
export class SessionStore {
  private readonly prefix: string;
  private readonly ttl: number;

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    config: ConfigService<AppConfig, true>,
  ) {
    this.prefix = config.get('QUEUE_PREFIX', { infer: true });
    this.ttl = config.get('SESSION_TTL_SECONDS', { infer: true });
  }

  get ttlSeconds(): number {
    return this.ttl;
  }

  /** A new session under a new id (never a reused one: the id rotates at every sign-in). */
  async create(data: Omit<SessionData, 'csrfToken' | 'createdAt'>): Promise<{ id: string; data: SessionData }> {
    const id = randomToken();
    const session: SessionData = { ...data, csrfToken: randomToken(), createdAt: new Date().toISOString() };
    await this.redis.set(this.key(id), JSON.stringify(session), 'EX', this.ttl);
    return { id, data: session };
  }

  async get(id: string): Promise<SessionData | null> {
    const stored = await this.redis.getex(this.key(id), 'EX', this.ttl);
    return stored ? (JSON.parse(stored) as SessionData) : null;
  }

  async delete(id: string): Promise<void> {
    await this.redis.del(this.key(id));
  }

  async savePendingLogin(state: string, login: PendingLogin): Promise<void> {
    await this.redis.set(`${this.prefix}:oidc-login:${sha256(state)}`, JSON.stringify(login), 'EX', LOGIN_TTL_SECONDS);
  }

  /** The pending login of this state, once: a second callback with the same state finds nothing. */
  async takePendingLogin(state: string): Promise<PendingLogin | null> {
    const stored = await this.redis.getdel(`${this.prefix}:oidc-login:${sha256(state)}`);
    return stored ? (JSON.parse(stored) as PendingLogin) : null;
  }

  private key(id: string): string {
    return `${this.prefix}:session:${sha256(id)}`;
  }
}

export const SESSION_COOKIE = 'ce_session';
export const LOGIN_COOKIE = 'ce_login';
export const hashBinding = sha256;
