// Shared by the pages (/app/, /provider/, /review/, /verify/…): loaded first, before each page's own script.
'use strict';

const $ = (id) => document.getElementById(id);

/** An element with attributes and children (text or nodes); text is never parsed as HTML. */
function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (name === 'class') node.className = value;
    else node.setAttribute(name, value);
  }
  for (const child of children.flat()) node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  return node;
}

/**
 * The API as the pages call it: JSON bodies, Chinese messages whatever the browser's own language, and
 * the credentials: a bearer token, or else the session's CSRF token on changes. A problem becomes an
 * Error with the response's own words and its `status`.
 */
async function callApi(path, options = {}, credentials = {}) {
  const changes = options.method && options.method !== 'GET';
  const response = await fetch(path, {
    ...options,
    headers: {
      'accept-language': 'zh-CN',
      ...(typeof options.body === 'string' ? { 'content-type': 'application/json' } : {}),
      ...(credentials.token ? { authorization: `Bearer ${credentials.token}` } : {}),
      ...(!credentials.token && credentials.csrfToken && changes ? { 'x-csrf-token': credentials.csrfToken } : {}),
    },
  });
  const body = response.status === 204 ? null : await response.json().catch(() => null);
  if (!response.ok) {
    const error = new Error((body && (body.errors || []).map((e) => e.message).join('；')) || (body && body.detail) || `HTTP ${response.status}`);
    error.status = response.status;
    throw error;
  }
  return body;
}

/**
 * How an organisation's page (/provider/, /review/) starts: the SSO link, the development sign-in
 * (`devBody()` is what the form sends), or straight in with the session the browser has.
 */
async function startOrganisationPage(devBody, enter) {
  const options = await fetch('/auth/options').then((r) => (r.ok ? r.json() : {})).catch(() => ({}));
  if (options.sso) $('sso').hidden = false;
  if (options.devSignIn) {
    $('dev-form').hidden = false;
    $('dev-form').addEventListener('submit', async (event) => {
      event.preventDefault();
      try {
        await enter(await callApi('/auth/dev-login', { method: 'POST', body: JSON.stringify(devBody()) }));
      } catch (error) {
        $('sign-in-error').textContent = `无法登录：${error.message}`;
      }
    });
  }
  const session = await fetch('/api/v1/session').then((r) => (r.ok ? r.json() : null)).catch(() => null);
  if (session && session.kind === 'organisation') return enter(session);
  $('sign-in').hidden = false;
}
