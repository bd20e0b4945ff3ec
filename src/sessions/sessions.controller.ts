import { Body, Controller, Get, HttpCode, Post, Query, Req, Res } from '@nestjs/common';
import { ApiOkResponse, ApiProperty, ApiPropertyOptional, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { IsOptional, IsString, Length, Matches } from 'class-validator';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Public } from '../auth/auth.decorators.js';
import { UnauthenticatedError } from '../auth/auth.errors.js';
import { DomainError } from '../common/domain-error.js';
import { message } from '../common/messages.js';
import { IsIdNumber, IsOrgCode } from '../common/validation.js';
import { ConfigService } from '@nestjs/config';
import type { AppConfig } from '../config/environment.js';
import { assertCsrf } from './csrf.js';
import { LOGIN_COOKIE, SESSION_COOKIE, type SessionData, SessionStore } from './session.store.js';
import { SignInRefused, SignInService } from './sign-in.service.js';

export class DevSignInDto {
  @ApiPropertyOptional({ example: '11010519491231002X', description: 'Sign in as this person' })
  @IsOptional()
  @IsIdNumber()
  idNumber?: string;

  @ApiPropertyOptional({ example: 'lishui-train', description: "Or as staff of the provider with this code" })
  @IsOptional()
  @Matches(/^[A-Za-z0-9_-]{2,64}$/, { message: 'FIELD.PROVIDER_CODE' })
  @IsString()
  providerCode?: string;

  @ApiPropertyOptional({ example: '91330100MA2B3C4D5E', description: 'Or as staff of the provider, employer or authority registered with this 统一社会信用代码' })
  @IsOptional()
  @IsOrgCode()
  orgCode?: string;

  @ApiPropertyOptional({ example: '张三' })
  @IsOptional()
  @Length(1, 50)
  @IsString()
  name?: string;
}

export class ActingDto {
  @ApiProperty({ enum: ['provider', 'employer', 'authority'] }) role: string;
  @ApiProperty() id: string;
  @ApiProperty() name: string;
}

export class SessionDto {
  @ApiProperty({ enum: ['applicant', 'organisation'] }) kind: string;
  @ApiProperty() name: string;
  @ApiPropertyOptional({ example: '330102********123X' }) idNumberMasked?: string;
  @ApiPropertyOptional({ example: '91110000802100433B' }) orgCode?: string;
  @ApiProperty({ type: [ActingDto] }) acting: ActingDto[];
  @ApiProperty({ description: 'Send as X-CSRF-Token on every state-changing request made with the session cookie' }) csrfToken: string;
}

const view = (session: SessionData): SessionDto => ({
  kind: session.kind,
  name: session.name,
  ...(session.idNumberMasked ? { idNumberMasked: session.idNumberMasked } : {}),
  ...(session.orgCode ? { orgCode: session.orgCode } : {}),
  acting: session.acting,
  csrfToken: session.csrfToken,
});

/**
 * Sign-in and sessions: `/auth/login` → the single sign-on → `/auth/callback`, which opens a
 * server-side session (a new id every time) in an httpOnly, SameSite=Lax cookie, Secure over https.
 */
@ApiTags('sign-in and sessions')
@Public()
@Controller()
export class SessionsController {
  constructor(
    private readonly signIn: SignInService,
    private readonly sessions: SessionStore,
    private readonly config: ConfigService<AppConfig, true>,
  ) {}

  private cookieOptions(maxAge?: number) {
    const secure = this.config.get('PUBLIC_BASE_URL', { infer: true }).startsWith('https:');
    return { path: '/', httpOnly: true, sameSite: 'lax' as const, secure, ...(maxAge !== undefined ? { maxAge } : {}) };
  }

  /** What the pages may offer: the single sign-on, and (never in production) the development sign-in. */
  @Get('auth/options')
  options() {
    return { sso: this.signIn.ssoEnabled, devSignIn: this.signIn.devSignInEnabled };
  }

  @Get('auth/login')
  async login(@Query('next') next: string | undefined, @Res() reply: FastifyReply) {
    try {
      const { location, browserBinding } = await this.signIn.start(next ?? '/app/');
      void reply.setCookie(LOGIN_COOKIE, browserBinding, { ...this.cookieOptions(600), path: '/auth/' });
      return reply.redirect(location, 302);
    } catch (error) {
      return this.refused(reply, error);
    }
  }

  @Get('auth/callback')
  async callback(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    try {
      const { session, next } = await this.signIn.finish(request.url, request.cookies[LOGIN_COOKIE]);
      await this.replaceSession(request, reply, session);
      void reply.clearCookie(LOGIN_COOKIE, { ...this.cookieOptions(), path: '/auth/' });
      return reply.redirect(next, 302);
    } catch (error) {
      return this.refused(reply, error);
    }
  }

  /** The development sign-in: a session as the SSO would open it. Not there in production. */
  @Post('auth/dev-login')
  @HttpCode(201)
  async devLogin(@Body() body: DevSignInDto, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<SessionDto> {
    if (!this.signIn.devSignInEnabled) throw new DomainError('HTTP.NOT_FOUND', 404, message('REQUEST.ROUTE_NOT_FOUND', { method: 'POST', url: '/auth/dev-login' }));
    try {
      return view(await this.replaceSession(request, reply, await this.signIn.devSession(body)));
    } catch (error) {
      if (error instanceof SignInRefused) throw new DomainError('AUTH.SIGN_IN_REFUSED', error.status, message('AUTH.SIGN_IN_REFUSED', { reason: error.reason }));
      throw error;
    }
  }

  @Post('auth/logout')
  @HttpCode(204)
  async logout(@Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<void> {
    const id = request.cookies[SESSION_COOKIE];
    const session = id ? await this.sessions.get(id) : null;
    if (session) {
      assertCsrf(request, session);
      await this.sessions.delete(id!);
    }
    void reply.clearCookie(SESSION_COOKIE, this.cookieOptions());
  }

  @Get('api/v1/session')
  @ApiOkResponse({ type: SessionDto })
  @ApiUnauthorizedResponse({ description: 'Not signed in' })
  async current(@Req() request: FastifyRequest): Promise<SessionDto> {
    const id = request.cookies[SESSION_COOKIE];
    const session = id ? await this.sessions.get(id) : null;
    if (!session) throw new UnauthenticatedError();
    return view(session);
  }

  /** A sign-in always opens a new session (the id rotates); a session the browser had is ended. */
  private async replaceSession(request: FastifyRequest, reply: FastifyReply, data: Parameters<SessionStore['create']>[0]): Promise<SessionData> {
    const previous = request.cookies[SESSION_COOKIE];
    if (previous) await this.sessions.delete(previous);
    const { id, data: session } = await this.sessions.create(data);
    void reply.setCookie(SESSION_COOKIE, id, this.cookieOptions(this.sessions.ttlSeconds));
    return session;
  }

  /** A refused sign-in gets a page that says why, in Chinese, and how to try again. */
  private refused(reply: FastifyReply, error: unknown) {
    if (!(error instanceof SignInRefused)) throw error;
    return reply
      .status(error.status)
      .header('content-type', 'text/html; charset=utf-8')
      .header('content-security-policy', "default-src 'none'; style-src 'self'; base-uri 'none'; frame-ancestors 'none'")
      .header('cache-control', 'no-store')
      .send(signInRefusedPage(error.reason));
  }
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function signInRefusedPage(reason: string): string {
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>登录未成功</title><link rel="stylesheet" href="/app/app.css"></head>
<body><header><h1>继续教育学时查询</h1></header>
<main><section><h2>登录未成功</h2><p class="error" role="alert">${escapeHtml(reason)}</p>
<p><a href="/auth/login?next=/app/">重新登录</a> · <a href="/app/">返回首页</a></p></section></main></body></html>`;
}
