import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { calculateJwkThumbprint, exportJWK, type JWK, SignJWT } from 'jose';
import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { DataSource } from 'typeorm';
import type { AppConfig } from '../config/environment.js';

export const CERTIFICATE_ISSUER = 'ce-ledger';
const DEVELOPMENT_KEY_FILE = join(process.cwd(), 'var', 'signing-key.pem');

/**
 * Signs certificates as compact JWS (EdDSA over Ed25519). Every public key that ever signed is kept
 * in signing_keys and published in the JWKS, so that a certificate still verifies after a rotation.
 */
@Injectable()
export class SigningService implements OnModuleInit {
  private readonly logger = new Logger(SigningService.name);
  private readonly privateKey: KeyObject;
  private kid = '';

  constructor(
    private readonly dataSource: DataSource,
    config: ConfigService<AppConfig, true>,
  ) {
    this.privateKey = loadSigningKey(config.get('SIGNING_KEY', { infer: true }), this.logger);
  }

  async onModuleInit(): Promise<void> {
    const jwk: JWK = { ...(await exportJWK(createPublicKey(this.privateKey))), alg: 'EdDSA', use: 'sig' };
    this.kid = await calculateJwkThumbprint(jwk);
    await this.dataSource.query('INSERT IGNORE INTO signing_keys (kid, public_jwk, created_at) VALUES (?, ?, ?)', [
      this.kid,
      JSON.stringify({ ...jwk, kid: this.kid }),
      new Date(),
    ]);
  }

  get keyId(): string {
    return this.kid;
  }

  sign(claims: Record<string, unknown>, subject: string): Promise<string> {
    return new SignJWT(claims)
      .setProtectedHeader({ alg: 'EdDSA', kid: this.kid, typ: 'JWT' })
      .setIssuer(CERTIFICATE_ISSUER)
      .setSubject(subject)
      .setIssuedAt()
      .sign(this.privateKey);
  }

  async jwks(): Promise<{ keys: JWK[] }> {
    const rows: { publicJwk: string }[] = await this.dataSource.query('SELECT public_jwk AS publicJwk FROM signing_keys ORDER BY created_at, kid');
    return { keys: rows.map((row) => JSON.parse(row.publicJwk) as JWK) };
  }
}

/** SIGNING_KEY when set; in development a key generated once and kept under var/. */
function loadSigningKey(pem: string | undefined, logger: Logger): KeyObject {
  if (!pem) {
    if (!existsSync(DEVELOPMENT_KEY_FILE)) {
      mkdirSync(dirname(DEVELOPMENT_KEY_FILE), { recursive: true });
      const { privateKey } = generateKeyPairSync('ed25519');
      writeFileSync(DEVELOPMENT_KEY_FILE, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
      logger.warn(`Generated a development signing key at ${DEVELOPMENT_KEY_FILE}; set SIGNING_KEY in production`);
    }
    pem = readFileSync(DEVELOPMENT_KEY_FILE, 'utf8');
  }
  const key = createPrivateKey(pem);
  if (key.asymmetricKeyType !== 'ed25519') throw new Error(`SIGNING_KEY must be an Ed25519 key, not ${key.asymmetricKeyType}`);
  return key;
}
