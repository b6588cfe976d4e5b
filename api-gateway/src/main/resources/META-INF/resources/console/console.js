// The gateway's web console: plain ES module, no framework, no build step.
// Rules kept throughout: tokens live in this module's memory only (never localStorage, sessionStorage or a
// cookie); every text from the server is written with textContent, never as HTML; requests go to this
// origin only, so the bearer token can never be sent anywhere else.

const $ = (id) => document.getElementById(id);

/** The session: in memory only. Reloading the page forgets it. */
const session = { accessToken: null, refreshToken: null, username: null, admin: false };

/** The last order request, to send it again with the same Idempotency-Key. */
let lastOrder = null;
/** The Link rel="next" of the orders page on screen, as a same-origin path. */
let nextPage = null;
let pageNumber = 0;
/** Counts orders requests, so that an older answer (the page loaded at login) never replaces a newer one. */
let ordersRequest = 0;
/** The token the inspector shows, and its expiry countdown. */
let inspected = null;
let countdown = null;

// ---------------------------------------------------------------------------------------------------------
// Small DOM helpers: elements are built with createElement and textContent only.

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (name === 'class') node.className = value;
    else if (name.includes('-')) node.setAttribute(name, value); // data-*, aria-*
    else node[name] = value;
  }
  for (const child of children) {
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

function show(node, visible = true) {
  node.hidden = !visible;
}

function kvRows(tbody, entries) {
  tbody.replaceChildren(...entries.map(([key, value, cls]) =>
      el('tr', { 'data-key': key }, el('th', {}, key), el('td', cls ? { class: cls } : {}, value))));
}

function display(value) {
  if (value === null || value === undefined) return '—';
  if (Array.isArray(value)) return value.length ? value.join(', ') : '[]';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** JSON has 250.00 but JavaScript reads 250: amounts are shown with their two decimals again. */
function money(value) {
  return typeof value === 'number' ? value.toFixed(2) : display(value);
}

// ---------------------------------------------------------------------------------------------------------
// Errors: RFC 9457 problem+json shows its title and detail; anything else what it has.

class HttpProblem extends Error {
  constructor(status, problem) {
    super(problem.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
  }
}

async function problemOf(response) {
  const type = response.headers.get('Content-Type') || '';
  let body = null;
  if (type.includes('json')) {
    try {
      body = await response.json();
    } catch {
      body = null;
    }
  }
  if (body && (body.title || body.detail)) {
    return body; // problem+json
  }
  if (body && body.error) { // an OAuth error (RFC 6749, 5.2) from /auth/token
    return { title: body.error, detail: body.error_description, status: response.status };
  }
  return { title: `HTTP ${response.status} ${response.statusText}`.trim(), detail: 'The answer was not problem+json.', status: response.status };
}

/** Shows an HttpProblem, a plain problem object ({title, detail}), or any other error as a network error. */
function showProblem(box, error) {
  let status;
  let problem;
  if (error instanceof HttpProblem) {
    status = error.status;
    problem = error.problem;
  } else if (error instanceof Error) {
    problem = { title: 'Network error', detail: `${error.message} (is the gateway running?)` };
  } else {
    problem = error;
  }
  const children = [el('div', { class: 'problem-title' }, status ? `${status} ${problem.title || ''}` : problem.title || 'Error')];
  if (problem.detail) children.push(el('div', { class: 'problem-detail' }, problem.detail));
  if (Array.isArray(problem.violations) && problem.violations.length) {
    children.push(el('ul', { class: 'violations' },
        ...problem.violations.map(v => el('li', {}, el('code', {}, v.field || '?'), ': ', v.message || ''))));
  }
  if (problem.orderId) children.push(el('div', {}, 'orderId: ', el('code', {}, problem.orderId)));
  box.replaceChildren(...children);
  show(box);
}

function clearProblem(box) {
  box.replaceChildren();
  show(box, false);
}

/** Runs an action for a section: its problem box is cleared first and shows whatever goes wrong. */
function guarded(problemBox, action) {
  return async (event) => {
    event?.preventDefault();
    clearProblem(problemBox);
    const button = event?.submitter || (event?.currentTarget instanceof HTMLButtonElement ? event.currentTarget : null);
    if (button) button.disabled = true;
    try {
      await action(event);
    } catch (error) {
      showProblem(problemBox, error);
    } finally {
      if (button) button.disabled = false;
    }
  };
}

// ---------------------------------------------------------------------------------------------------------
// HTTP: same origin only; the bearer token added here and nowhere else.

async function call(path, { method = 'GET', headers = {}, body, bearer = true, retried = false } = {}) {
  const url = new URL(path, window.location.origin);
  if (url.origin !== window.location.origin) {
    throw new Error(`refusing to send the token to ${url.origin}`);
  }
  const all = { Accept: 'application/json, application/problem+json', ...headers };
  if (bearer && session.accessToken) all.Authorization = `Bearer ${session.accessToken}`;
  const response = await fetch(url.pathname + url.search, { method, headers: all, body, cache: 'no-store', credentials: 'omit' });
  if (response.status === 401 && bearer && !retried && session.refreshToken) {
    // The access token expired (it lives minutes): rotate once and repeat. A repeated order is safe: it
    // carries the same Idempotency-Key.
    if (await refresh().then(() => true, () => false)) {
      return call(path, { method, headers, body, bearer, retried: true });
    }
  }
  if (!response.ok) {
    throw new HttpProblem(response.status, await problemOf(response));
  }
  return response;
}

/** A JSON request body, with extra headers. */
const json = (body, headers = {}) => ({ headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify(body) });
const form = (fields) => new URLSearchParams(fields);

// ---------------------------------------------------------------------------------------------------------
// Session: login, refresh, logout.

function startSession(username, tokens) {
  session.username = username;
  session.accessToken = tokens.access_token;
  session.refreshToken = tokens.refresh_token || null;
  $('session-user').textContent = username;
  show($('session'));
  show($('login-section'), false);
  // admin reads every order and places none (POST /api/orders answers 403): no order form, an owner column.
  const groups = claimsOf(session.accessToken).groups;
  session.admin = Array.isArray(groups) && groups.includes('admin');
  $('app').classList.toggle('admin', session.admin);
  show($('order-section'), !session.admin);
  show($('admin-note'), session.admin);
  show($('app'));
  $('token-input').value = session.accessToken;
  inspect(session.accessToken);
  guarded($('orders-problem'), () => loadOrders(ordersPath($('page-size').value), 1))();
}

/** The token's claims, unverified: only to choose what the page shows (every service checks the token itself). */
function claimsOf(token) {
  try {
    return decodePart(String(token).split('.')[1]);
  } catch {
    return {};
  }
}

function endSession(message) {
  session.accessToken = null;
  session.refreshToken = null;
  session.username = null;
  session.admin = false;
  $('app').classList.remove('admin');
  ordersRequest += 1; // an orders answer still on its way belongs to the session that ended
  lastOrder = null;
  nextPage = null;
  inspected = null;
  clearInterval(countdown);
  $('token-input').value = '';
  for (const id of ['placed', 'order-detail', 'trace-summary']) show($(id), false);
  $('orders').tBodies[0].replaceChildren();
  $('hops').replaceChildren();
  $('page-info').textContent = '';
  $('next-page-button').disabled = true;
  show($('app'), false);
  show($('session'), false);
  show($('login-section'));
  $('login-message').textContent = message;
  show($('login-message'), Boolean(message));
}

async function login() {
  const username = $('username').value.trim();
  const password = $('password').value;
  $('password').value = '';
  show($('login-message'), false);
  const response = await call('/auth/login', { method: 'POST', bearer: false, ...json({ username, password }) });
  startSession(username, await response.json());
}

/**
 * Rotates the refresh token, once at a time: calls that find the access token expired together (an opened order
 * asks for the order and the customer at once) wait for the same rotation. Two rotations of one refresh token
 * would be reuse, which the gateway answers by revoking the whole session.
 */
let rotation = null;
function refresh() {
  rotation ??= rotate().finally(() => { rotation = null; });
  return rotation;
}

async function rotate() {
  const response = await fetch('/auth/token', {
    method: 'POST', body: form({ grant_type: 'refresh_token', refresh_token: session.refreshToken }),
    headers: { Accept: 'application/json' }, cache: 'no-store', credentials: 'omit',
  });
  if (!response.ok) {
    throw new HttpProblem(response.status, await problemOf(response));
  }
  const tokens = await response.json();
  session.accessToken = tokens.access_token;
  session.refreshToken = tokens.refresh_token || session.refreshToken;
  $('token-input').value = session.accessToken;
  await inspect(session.accessToken);
}

async function logout() {
  const refreshToken = session.refreshToken;
  try {
    if (refreshToken) {
      await call('/auth/logout', { method: 'POST', bearer: false, body: form({ refresh_token: refreshToken }) });
    }
  } finally {
    endSession('Logged out: the session (its refresh tokens) is revoked. An access token already handed out stays '
        + 'valid until its exp, since every service verifies it offline.');
  }
}

// ---------------------------------------------------------------------------------------------------------
// Token inspector: decoded header and claims, expiry countdown, RS256 signature checked with WebCrypto.

function base64UrlBytes(text) {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) throw new Error('not base64url');
  const base64 = text.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (text.length % 4)) % 4);
  return Uint8Array.from(atob(base64), c => c.charCodeAt(0));
}

function decodePart(text) {
  return JSON.parse(new TextDecoder().decode(base64UrlBytes(text)));
}

const TIME_CLAIMS = new Set(['iat', 'exp', 'nbf', 'auth_time']);

/** A badge's text: strings and nodes (a key id in <code>, kept on one line). */
function setBadge(node, cls, text) {
  node.className = `badge ${cls}`;
  node.replaceChildren(...[text].flat().filter(part => part !== '')
      .map(part => part instanceof Node ? part : document.createTextNode(String(part))));
}

const kidCode = (kid) => el('code', { class: 'nowrap' }, display(kid));

async function inspect(token) {
  const parts = (token || '').trim().split('.');
  clearInterval(countdown);
  clearProblem($('token-problem'));
  let header;
  let claims;
  try {
    if (parts.length !== 3) throw new Error(`a JWS has 3 parts, this has ${parts.length}`);
    header = decodePart(parts[0]);
    claims = decodePart(parts[1]);
  } catch (error) {
    $('token-header').textContent = '';
    $('claims').tBodies[0].replaceChildren();
    setBadge($('signature'), 'bad', 'Not a JWT');
    setBadge($('expiry'), 'neutral', '');
    showProblem($('token-problem'), { title: 'Not a JWT', detail: `This token cannot be read: ${error.message}` });
    return;
  }
  inspected = { token: token.trim(), header, claims };
  $('token-header').textContent = JSON.stringify(header, null, 2);
  kvRows($('claims').tBodies[0], Object.entries(claims).map(([name, value]) =>
    TIME_CLAIMS.has(name) && typeof value === 'number'
      ? [name, `${value} (${new Date(value * 1000).toLocaleString()})`, 'nowrap']
      : [name, display(value), name === 'jti' ? 'nowrap' : undefined]));
  tick();
  countdown = setInterval(tick, 1000);
  setBadge($('signature'), 'neutral', 'Checking the signature…');
  const mine = inspected;
  const verdict = await verifySignature(parts, header);
  if (inspected === mine) setBadge($('signature'), verdict.cls, verdict.text);
}

function tick() {
  if (!inspected || typeof inspected.claims.exp !== 'number') {
    setBadge($('expiry'), 'neutral', 'No exp claim');
    return;
  }
  const left = Math.round(inspected.claims.exp - Date.now() / 1000);
  const mmss = (s) => `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
  if (left > 0) {
    setBadge($('expiry'), left > 30 ? 'ok' : 'warn', `Expires in ${mmss(left)}`);
  } else {
    setBadge($('expiry'), 'bad', `Expired ${mmss(-left)} ago`);
  }
}

/** The JWK Set, cached per page; fetched again once when a kid is not in it (a key rotation). */
let jwks = null;

async function jwkFor(kid) {
  for (const reload of [false, true]) {
    if (!jwks || reload) {
      const response = await call('/.well-known/jwks.json', { bearer: false });
      jwks = await response.json();
    }
    const key = (jwks.keys || []).find(k => k.kid === kid);
    if (key) return key;
  }
  return null;
}

async function verifySignature(parts, header) {
  // WebCrypto's subtle API exists only in a secure context (https, or a page from localhost): say so, claim nothing.
  if (!window.isSecureContext || !window.crypto || !window.crypto.subtle) {
    return { cls: 'warn', text: 'WebCrypto unavailable: this page is not a secure context (only https:// or localhost). '
        + 'The signature was NOT checked.' };
  }
  if (header.alg !== 'RS256') {
    return { cls: 'bad', text: `Signature not checked: alg ${header.alg} is not RS256, which every service requires` };
  }
  try {
    const jwk = await jwkFor(header.kid);
    if (!jwk) {
      return { cls: 'bad', text: ['Signature INVALID: no key with kid ', kidCode(header.kid), ' in /.well-known/jwks.json'] };
    }
    const algorithm = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
    const { kty, n, e } = jwk; // only the public parts matter to importKey
    const key = await crypto.subtle.importKey('jwk', { kty, n, e, alg: 'RS256', ext: true }, algorithm, false, ['verify']);
    const signed = new TextEncoder().encode(`${parts[0]}.${parts[1]}`);
    const valid = await crypto.subtle.verify(algorithm, key, base64UrlBytes(parts[2]), signed);
    return valid
      ? { cls: 'ok', text: ['Signature valid: RS256, checked in this page with WebCrypto against key ', kidCode(header.kid)] }
      : { cls: 'bad', text: ['Signature INVALID: RS256 against key ', kidCode(header.kid), ' does not match'] };
  } catch (error) {
    return { cls: 'bad', text: `Signature INVALID: ${error.message || error}` };
  }
}

// ---------------------------------------------------------------------------------------------------------
// Orders.

function idempotencyKey() {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID(); // secure contexts only
  const bytes = crypto.getRandomValues(new Uint8Array(16)); // elsewhere: an RFC 9562 version 4 UUID by hand
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = Array.from(bytes, b => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function stateBadge(state) {
  return el('span', { class: `state state-${String(state).toLowerCase()}` }, state);
}

async function sendOrder(order) {
  show($('placed'), false);
  const response = await call('/api/orders', { method: 'POST', ...json(order.body, { 'Idempotency-Key': order.key }) });
  const placed = await response.json();
  $('placed-status').textContent = response.status === 201 ? '201 Created' : `${response.status}: the same order again, nothing new was created`;
  $('placed-state').replaceWith(Object.assign(stateBadge(placed.state), { id: 'placed-state' }));
  $('placed-reason').textContent = placed.rejectionReason || '';
  $('placed-id').textContent = placed.id;
  $('placed-amount').textContent = money(placed.amount);
  $('placed-key').textContent = order.key;
  show($('placed'));
}

async function placeOrder() {
  const amountText = $('amount').value.trim();
  const amount = Number(amountText);
  const body = {
    // A number when it reads as one, else the text as typed, so that the gateway's validation answers.
    amount: amountText !== '' && Number.isFinite(amount) ? amount : amountText,
    description: $('description').value,
  };
  lastOrder = { key: idempotencyKey(), body };
  await sendOrder(lastOrder);
}

function ordersPath(limit) {
  return `/api/orders?limit=${encodeURIComponent(limit)}`;
}

/** The rel="next" target of a Link header (RFC 8288), as a path on this origin; null if there is none. */
function nextLink(header) {
  if (!header) return null;
  for (const part of header.split(/,(?=\s*<)/)) {
    const match = part.match(/^\s*<([^>]*)>(.*)$/);
    if (match && /;\s*rel="?([^";]*\s)?next(\s[^";]*)?"?\s*(;|$)/i.test(match[2])) {
      const url = new URL(match[1], window.location.href);
      return url.pathname + url.search; // our origin, whatever host the gateway wrote
    }
  }
  return null;
}

async function loadOrders(path, number) {
  const request = ++ordersRequest;
  const response = await call(path);
  const orders = await response.json();
  if (request !== ordersRequest) return; // a newer request was made meanwhile: its answer is the one to show
  nextPage = nextLink(response.headers.get('Link'));
  pageNumber = number;
  $('next-page-button').disabled = !nextPage;
  $('page-info').textContent = `page ${pageNumber}: ${orders.length} order(s)${nextPage ? ', more follow' : ', the last page'}`;
  $('orders').tBodies[0].replaceChildren(...orders.map(order => el('tr', { 'data-order-id': order.id },
      el('td', { class: 'created nowrap', title: order.createdAt ?? '' }, order.createdAt ? new Date(order.createdAt).toLocaleString() : '—'),
      el('td', { class: 'num nowrap' }, money(order.amount)),
      el('td', { class: 'text' }, order.description ?? ''),
      el('td', {}, stateBadge(order.state), order.rejectionReason ? ` ${order.rejectionReason}` : ''),
      el('td', { class: 'owner-col nowrap' }, display(order.username)),
      el('td', {}, el('button', { type: 'button', class: 'open-order', onclick: guarded($('orders-problem'), () => openOrder(order.id)) }, 'Open')))));
}

async function openOrder(id) {
  clearProblem($('customer-problem'));
  show($('customer-note'), false);
  // The order's customer comes with the order (order-service reads it). A user also sees their credit from
  // /api/customers/me; admin has no customer record (that call would answer 404), so admin does not ask.
  const admin = session.admin;
  const [orderResponse, me] = await Promise.all([
    call(`/api/orders/${encodeURIComponent(id)}`),
    admin ? null : call('/api/customers/me').then(r => r.json(), error => error),
  ]);
  const order = await orderResponse.json();
  $('detail-id').textContent = order.id;
  kvRows($('detail-order').tBodies[0], [
    ['state', order.state, `state state-${String(order.state).toLowerCase()}`],
    ['rejectionReason', display(order.rejectionReason)],
    ['amount', money(order.amount)],
    ['description', display(order.description)],
    ['username', display(order.username), 'nowrap'],
    ['createdAt', display(order.createdAt), 'nowrap'],
    ['customer.id', display(order.customer?.id), 'nowrap'],
    ['customer.name', display(order.customer?.name)],
  ]);
  const customer = order.customer || {};
  const rows = [['name', display(customer.name)]];
  show($('detail-credit-source'), !admin);
  if (admin) {
    rows.push(['id', display(customer.id), 'nowrap']);
    $('customer-note').textContent = `admin has no customer record of its own: this is ${display(order.username)}'s, `
        + 'as order-service read it from customer-service.';
    show($('customer-note'));
  } else if (me instanceof Error) {
    rows.push(['id', display(customer.id), 'nowrap']);
    showProblem($('customer-problem'), me);
  } else {
    rows.push(['id', display(customer.id), `nowrap ${me.id === customer.id ? 'same' : 'differs'}`],
        ['creditLimit', money(me.creditLimit)],
        ['availableCredit', money(me.availableCredit)]);
  }
  kvRows($('detail-customer').tBodies[0], rows);
  show($('order-detail'));
}

// ---------------------------------------------------------------------------------------------------------
// Trace: the identity each hop saw, side by side, with what matches across hops highlighted.

const HOP_FIELDS = [
  ['subject', 'subject (sub)'],
  ['username', 'username (upn)'],
  ['audience', 'audience (aud)'],
  ['tokenId', 'token id (jti)'],
  ['groups', 'groups'],
  ['actor', 'actor (act.sub)'],
];

/** Ids: never broken across lines. */
const ONE_LINE_FIELDS = new Set(['subject', 'username', 'tokenId', 'actor']);

async function trace() {
  const response = await call('/api/trace');
  const hops = await response.json();
  const names = Object.keys(hops);
  const same = Object.fromEntries(HOP_FIELDS.map(([field]) =>
      [field, names.every(name => JSON.stringify(hops[name]?.[field]) === JSON.stringify(hops[names[0]]?.[field]))]));
  const myJti = decodePart(session.accessToken.split('.')[1]).jti;
  const columns = [];
  names.forEach((name, index) => {
    if (index > 0) columns.push(el('div', { class: 'arrow', 'aria-hidden': 'true' }, '→'));
    const rows = HOP_FIELDS.map(([field, label]) => {
      const value = hops[name]?.[field];
      const cls = `${same[field] ? 'same' : 'differs'}${field === 'tokenId' && value === myJti ? ' mine' : ''}`;
      return el('div', { class: `field ${cls}`, 'data-field': field },
          el('div', { class: 'label' }, label), el('div', { class: `value${ONE_LINE_FIELDS.has(field) ? ' nowrap' : ''}` }, display(value)));
    });
    columns.push(el('div', { class: 'hop', 'data-hop': name }, el('h3', {}, name), ...rows));
  });
  $('hops').replaceChildren(...columns);
  const tokenIds = new Set(names.map(name => hops[name]?.tokenId));
  const summary = [
    same.subject ? `All ${names.length} hops saw the same subject ${display(hops[names[0]].subject)}.` : 'The hops saw different subjects.',
    tokenIds.size === 1
      ? `They all saw the same token (jti ${display([...tokenIds][0])}${[...tokenIds][0] === myJti ? ', the one in the inspector' : ''}): it was forwarded unchanged.`
      : `They saw ${tokenIds.size} different tokens: per-hop tokens by token exchange (see actor).`,
  ];
  $('trace-summary').textContent = summary.join(' ');
  show($('trace-summary'));
}

// ---------------------------------------------------------------------------------------------------------

function wire() {
  $('login-form').addEventListener('submit', guarded($('login-problem'), login));
  $('logout-button').addEventListener('click', guarded($('token-problem'), logout));
  $('refresh-button').addEventListener('click', guarded($('token-problem'), refresh));
  $('inspect-button').addEventListener('click', guarded($('token-problem'), () => inspect($('token-input').value)));
  $('inspect-mine-button').addEventListener('click', guarded($('token-problem'), () => {
    $('token-input').value = session.accessToken;
    return inspect(session.accessToken);
  }));
  $('order-form').addEventListener('submit', guarded($('order-problem'), placeOrder));
  $('order-again-button').addEventListener('click', guarded($('order-problem'), () => sendOrder(lastOrder)));
  $('orders-button').addEventListener('click', guarded($('orders-problem'), () => loadOrders(ordersPath($('page-size').value), 1)));
  $('next-page-button').addEventListener('click', guarded($('orders-problem'), () => loadOrders(nextPage, pageNumber + 1)));
  $('trace-button').addEventListener('click', guarded($('trace-problem'), trace));
  document.body.dataset.ready = 'true'; // the browser test waits for this
}

/** The demo users are named only when the server runs the demo profile (a deployment has real passwords). */
async function showDemoHint() {
  try {
    const response = await fetch('/console/settings.json', { cache: 'no-store', credentials: 'omit' });
    if (response.ok && (await response.json()).demo === true) {
      show($('demo-hint'));
      if (!$('username').value) $('username').value = 'alice';
    }
  } catch {
    // No hint then: the console works without it.
  }
}

wire();
showDemoHint();
