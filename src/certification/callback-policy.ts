import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import ipaddr from 'ipaddr.js';
import { lookup as resolveHost } from 'node:dns';
import { lookup } from 'node:dns/promises';
import type { LookupFunction } from 'node:net';
import { Agent } from 'undici';
import { message, type Message } from '../common/messages.js';
import type { AppConfig } from '../config/environment.js';

/**
 * Where webhooks may go: a callbackUrl must be https in production, and its host must be a public
 * address (not loopback, private, link-local, carrier-grade NAT, multicast, reserved …), unless it is
 * listed in WEBHOOK_ALLOWED_HOSTS. Checked when a certification is submitted, and again for the
 * address actually connected to (a name may resolve elsewhere by then: DNS rebinding).
 */
@Injectable()
export class CallbackPolicy {
  private readonly allowedHosts: Set<string>;
  private readonly httpsOnly: boolean;
  /** The dispatcher the webhook deliverer connects through: every resolved address is checked. */
  readonly dispatcher: Agent;

  constructor(config: ConfigService<AppConfig, true>) {
    this.allowedHosts = new Set(
      config
        .get('WEBHOOK_ALLOWED_HOSTS', { infer: true })
        .split(',')
        .map((host) => normalizeHost(host.trim()))
        .filter(Boolean),
    );
    this.httpsOnly = config.get('NODE_ENV', { infer: true }) === 'production';
    this.dispatcher = new Agent({ connect: { lookup: this.guardedLookup } });
  }

  /** What is wrong with a callbackUrl (a message for a 422), or null when webhooks may go there. */
  async problem(url: string): Promise<Message | null> {
    const parsed = new URL(url);
    if (this.httpsOnly && parsed.protocol !== 'https:') return message('FIELD.CALLBACK_HTTPS');
    const host = normalizeHost(parsed.hostname);
    if (this.allowedHosts.has(host)) return null;
    let addresses: string[];
    if (ipaddr.isValid(host)) addresses = [host];
    else {
      try {
        addresses = (await lookup(host, { all: true, verbatim: true })).map((entry) => entry.address);
      } catch {
        return message('FIELD.CALLBACK_UNRESOLVED', { host });
      }
    }
    return addresses.every(isPublicAddress) ? null : message('FIELD.CALLBACK_NOT_PUBLIC', { host });
  }

  /** dns.lookup for the deliverer's connections: a host not allowed may connect only to public addresses. */
  private readonly guardedLookup: LookupFunction = (hostname, options, callback) => {
    const host = normalizeHost(hostname);
    resolveHost(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, '', 0);
      if (!this.allowedHosts.has(host) && !addresses.every((entry) => isPublicAddress(entry.address))) {
        return callback(Object.assign(new Error(`callback host ${hostname} resolves to a non-public address`), { code: 'ENOTPUBLIC' }), '', 0);
      }
      if ((options as { all?: boolean }).all) return (callback as unknown as (e: null, a: typeof addresses) => void)(null, addresses);
      callback(null, addresses[0].address, addresses[0].family);
    });
  };
}

/** `[::1]` → `::1`, lower case, no trailing dot. */
function normalizeHost(host: string): string {
  return host.replace(/^\[|\]$/g, '').replace(/\.$/, '').toLowerCase();
}

/** Only unicast addresses of the public internet; an IPv4-mapped IPv6 address is judged as the IPv4 one. */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  let parsed = ipaddr.parse(address);
  if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) parsed = (parsed as ipaddr.IPv6).toIPv4Address();
  return parsed.range() === 'unicast';
}
