import { Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import * as oidc from 'openid-client';
import { EmployersRepository } from '../admin/employers.repository.js';
import { ProvidersRepository } from '../admin/providers.repository.js';
import { ApiClientsRepository } from '../auth/api-clients.repository.js';
import { idNumberProblem, maskIdNumber, normalizeIdNumber } from '../common/id-number.js';
import { normalizeOrgCode, orgCodeProblem } from '../common/org-code.js';
import { PiiService } from '../common/pii.service.js';
import type { AppConfig } from '../config/environment.js';
import { type Acting, hashBinding, type PendingLogin, randomToken, type SessionData, SessionStore } from './session.store.js';

/** Why a sign-in was refused, in words for the person who tried (shown on a page, never with the claim's value). */
export class SignInRefused extends Error {
  constructor(
    readonly status: number,
    readonly reason: string,
  ) {
    super(reason);
  }
}

type NewSession = Omit<SessionData, 'csrfToken' | 'createdAt'>;

/**
 * Sign-in through the deployment's OpenID Connect provider (authorization code with PKCE S256, state
 * and nonce, bound to the browser that started it), and the development sign-in. Either way the
 * result is a server-side session for a person (ID-number claim, GB 11643) or an organisation
 * (unified social credit code claim, GB 32100, mapped to the provider registered with it).
 */
@Injectable()
export class SignInService {
  private readonly logger = new Logger(SignInService.name);
  private configuration?: Promise<oidc.Configuration>;

  constructor(
    private readonly config: ConfigService<AppConfig, true>,
    private readonly sessions: SessionStore,
    private readonly providers: ProvidersRepository,
    private readonly employers: EmployersRepository,
    private readonly clients: ApiClientsRepository,
    private readonly pii: PiiService,
  ) {}

  get ssoEnabled(): boolean {
    return Boolean(this.config.get('OIDC_ISSUER', { infer: true }));
  }

  get devSignInEnabled(): boolean {
    return this.config.get('NODE_ENV', { infer: true }) !== 'production';
  }

  get redirectUri(): string {
    return `${this.config.get('PUBLIC_BASE_URL', { infer: true })}/auth/callback`;
  }

  /** The issuer's metadata, discovered once (and again after a failure). */
  private issuer(): Promise<oidc.Configuration> {
    this.configuration ??= oidc
      .discovery(
        new URL(this.config.get('OIDC_ISSUER', { infer: true })!),
        this.config.get('OIDC_CLIENT_ID', { infer: true })!,
        { redirect_uris: [this.redirectUri], response_types: ['code'] },
        this.config.get('OIDC_CLIENT_SECRET', { infer: true }) ? oidc.ClientSecretPost(this.config.get('OIDC_CLIENT_SECRET', { infer: true })!) : oidc.None(),
        // A development issuer on http (loopback): production requires https (checked at start).
        this.config.get('OIDC_ISSUER', { infer: true })!.startsWith('http:') ? { execute: [oidc.allowInsecureRequests] } : undefined,
      )
      .catch((error: unknown) => {
        this.configuration = undefined;
        throw error;
      });
    return this.configuration;
  }

  /** Starts a sign-in: where to send the browser, and the value its binding cookie must hold. */
  async start(next: string): Promise<{ location: string; browserBinding: string }> {
    if (!this.ssoEnabled) throw new SignInRefused(404, '本服务未配置统一身份认证登录。');
    const configuration = await this.issuer();
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    const codeVerifier = oidc.randomPKCECodeVerifier();
    const browserBinding = randomToken();
    const login: PendingLogin = { codeVerifier, nonce, next: safeNext(next), browserBinding: hashBinding(browserBinding) };
    await this.sessions.savePendingLogin(state, login);
    const location = oidc.buildAuthorizationUrl(configuration, {
      redirect_uri: this.redirectUri,
      scope: 'openid profile',
      state,
      nonce,
      code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
    });
    return { location: location.href, browserBinding };
  }

  /** Finishes a sign-in from the callback URL: the new session, and where to go next. */
  async finish(callbackPathAndQuery: string, browserBinding: string | undefined): Promise<{ session: NewSession; next: string }> {
    const callback = new URL(callbackPathAndQuery, this.config.get('PUBLIC_BASE_URL', { infer: true }));
    const state = callback.searchParams.get('state');
    if (callback.searchParams.get('error')) throw new SignInRefused(400, '统一身份认证未完成登录（已取消或被拒绝），请重新登录。');
    const login = state ? await this.sessions.takePendingLogin(state) : null;
    if (!login) throw new SignInRefused(400, '登录请求已失效或无效（可能已使用过或超过 10 分钟），请重新登录。');
    if (!browserBinding || hashBinding(browserBinding) !== login.browserBinding) {
      throw new SignInRefused(400, '登录须在发起登录的同一浏览器中完成，请重新登录。');
    }
    let claims: Record<string, unknown>;
    try {
      const tokens = await oidc.authorizationCodeGrant(await this.issuer(), callback, {
        pkceCodeVerifier: login.codeVerifier,
        expectedState: state!,
        expectedNonce: login.nonce,
        idTokenExpected: true,
      });
      claims = { ...(tokens.claims() ?? {}) };
      // An issuer that keeps profile claims out of the ID token (as OIDC Core 5.4 says for scopes) has them at userinfo.
      const known = [this.config.get('OIDC_ID_NUMBER_CLAIM', { infer: true }), this.config.get('OIDC_ORG_CODE_CLAIM', { infer: true })];
      if (!known.some((claim) => claim in claims) && tokens.access_token) {
        claims = { ...claims, ...(await oidc.fetchUserInfo(await this.issuer(), tokens.access_token, String(claims.sub))) };
      }
    } catch (error) {
      this.logger.warn(`Sign-in refused by the token exchange: ${(error as Error).name}: ${(error as { code?: string }).code ?? ''}`);
      throw new SignInRefused(400, '统一身份认证返回的登录凭据无效（可能已使用过），请重新登录。');
    }
    return { session: await this.sessionFromClaims(claims), next: login.next };
  }

  /** A person by a valid ID-number claim, or an organisation by a valid code that a provider is registered with. */
  private async sessionFromClaims(claims: Record<string, unknown>): Promise<NewSession> {
    const name = typeof claims[this.config.get('OIDC_NAME_CLAIM', { infer: true })] === 'string' ? String(claims[this.config.get('OIDC_NAME_CLAIM', { infer: true })]) : '';
    const idNumber = claims[this.config.get('OIDC_ID_NUMBER_CLAIM', { infer: true })];
    const orgCode = claims[this.config.get('OIDC_ORG_CODE_CLAIM', { infer: true })];
    if (typeof idNumber === 'string') {
      const normalized = normalizeIdNumber(idNumber.trim());
      if (idNumberProblem(normalized)) throw new SignInRefused(400, '统一身份认证提供的身份证号未通过校验（GB 11643），无法登录。请联系统一身份认证服务核对您的证件信息。');
      return this.personSession(normalized, name);
    }
    if (typeof orgCode === 'string') return this.organisationSession(normalizeOrgCode(orgCode), name);
    throw new SignInRefused(400, '统一身份认证未提供身份证号或统一社会信用代码，无法登录。');
  }

  personSession(idNumber: string, name: string): NewSession {
    return {
      kind: 'applicant',
      name,
      personKey: this.pii.lookupHash(idNumber).toString('hex'),
      idNumberMasked: maskIdNumber(idNumber),
      idNumberCipher: this.pii.encrypt(idNumber).toString('base64'),
      acting: [],
    };
  }

  /** An organisation acts for every provider, employer and authority registered with its code. */
  async organisationSession(orgCode: string, name: string): Promise<NewSession> {
    if (orgCodeProblem(orgCode)) throw new SignInRefused(400, '统一身份认证提供的统一社会信用代码未通过校验（GB 32100），无法登录。');
    const acting = await this.actingFor(orgCode);
    if (acting.length === 0) throw new SignInRefused(403, '该单位（统一社会信用代码）尚未在本服务登记为培训机构、用人单位或人力社保部门，请联系管理员登记后再登录。');
    return { kind: 'organisation', name: name || acting[0].name, orgCode, acting };
  }

  private async actingFor(orgCode: string): Promise<Acting[]> {
    const [provider, employer, authority] = await Promise.all([
      this.providers.findByOrgCode(orgCode),
      this.employers.findByOrgCode(orgCode),
      this.clients.findAuthorityByOrgCode(orgCode),
    ]);
    return [
      ...(provider ? [{ role: 'provider' as const, id: provider.id, name: provider.name }] : []),
      ...(employer ? [{ role: 'employer' as const, id: employer.id, name: employer.name }] : []),
      ...(authority ? [{ role: 'authority' as const, id: authority.id, name: authority.name }] : []),
    ];
  }

  /** The development sign-in (never in production): by ID number, by a provider's code, or by an organisation code. */
  async devSession(body: { idNumber?: string; providerCode?: string; orgCode?: string; name?: string }): Promise<NewSession> {
    if (body.idNumber !== undefined) return this.personSession(body.idNumber, body.name ?? '');
    if (body.orgCode !== undefined) return this.organisationSession(normalizeOrgCode(body.orgCode), body.name ?? '');
    const provider = body.providerCode ? await this.providers.findByCode(body.providerCode) : null;
    if (!provider) throw new SignInRefused(404, '没有该代码的培训机构。');
    return { kind: 'organisation', name: body.name ?? provider.name, orgCode: provider.orgCode ?? undefined, acting: [{ role: 'provider', id: provider.id, name: provider.name }] };
  }
}

/** Only a path of this origin: `/app/…`, never `//elsewhere`, `/\\elsewhere` or `https://…`. */
export function safeNext(next: string | undefined): string {
  if (typeof next !== 'string' || !/^\/(?![/\\])[\x21-\x7e]*$/.test(next)) return '/app/';
  return next;
}
