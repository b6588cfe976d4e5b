// Drives the gateway's web console (/console/) in Debian's chromium with playwright-core, step by step, and
// saves one screenshot per step. Every step asserts what the page shows, not only that a click worked.
//
//   node console-test.mjs <gatewayUrl> <screenshotDir>
//
// gatewayUrl must be http://localhost:<port> (a secure context, so that the page has WebCrypto). Exits 0 when
// every step passed, 1 otherwise. ConsoleIT (e2e-tests) runs it against the three packaged services.
// Environment: CHROMIUM (default /usr/bin/chromium), WRONG_PASSWORD (the bad password typed in one step).

import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';

const [gatewayUrl, screenshotDir] = process.argv.slice(2);
if (!gatewayUrl || !screenshotDir) {
  console.error('usage: node console-test.mjs <gatewayUrl> <screenshotDir>');
  process.exit(2);
}
const base = new URL(gatewayUrl);
const consoleUrl = new URL('/console/', base).href;
const wrongPassword = process.env.WRONG_PASSWORD || 'not-alices-password';
const TIMEOUT = 30_000; // a loaded two-core machine runs three JVMs beside this browser
// A name that resolves to this machine but is not "localhost": not a secure context, so no WebCrypto.
const INSECURE_HOST = 'console-insecure.test';

mkdirSync(screenshotDir, { recursive: true });

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
    `--host-resolver-rules=MAP ${INSECURE_HOST} 127.0.0.1`],
});
const context = await browser.newContext({ viewport: { width: 1360, height: 1000 } }); // WIDE
context.setDefaultTimeout(TIMEOUT);

/** What must never happen on the page: an uncaught error, or a CSP / Trusted Types refusal. */
const pageFaults = [];
/** Every 404 the pages got: none is expected (a missing favicon, or admin asking for /api/customers/me). */
const notFound = [];
function watch(page) {
  page.on('pageerror', error => pageFaults.push(`uncaught: ${error.message}`));
  page.on('response', response => { if (response.status() === 404) notFound.push(response.url()); });
  page.on('console', message => {
    // A refused fetch (401, 404, ...) is logged by chromium as "Failed to load resource": expected here.
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) {
      pageFaults.push(`console error: ${message.text()}`);
    }
  });
  return page;
}
const page = watch(await context.newPage());

let stepNumber = 0;
let passed = 0;
let failed = 0;

/** One step: runs it, then saves NN-name.png (NN-name-FAILED.png if it failed). Later steps need earlier ones. */
async function step(name, body, target = page) {
  stepNumber += 1;
  const label = `${String(stepNumber).padStart(2, '0')}-${name}`;
  const started = Date.now();
  try {
    await body();
    await target.screenshot({ path: join(screenshotDir, `${label}.png`), fullPage: true });
    passed += 1;
    console.log(`ok ${label} (${Date.now() - started} ms)`);
  } catch (error) {
    failed += 1;
    console.log(`FAILED ${label}: ${error.stack || error}`);
    await target.screenshot({ path: join(screenshotDir, `${label}-FAILED.png`), fullPage: true }).catch(() => {});
    throw error;
  }
}

/** Waits until the element's text matches; fails with the last text seen. */
async function expectText(locator, pattern, what = String(pattern)) {
  const deadline = Date.now() + TIMEOUT;
  let last = null;
  while (Date.now() < deadline) {
    last = (await locator.count()) === 1 ? await locator.textContent() : `(${await locator.count()} elements)`;
    if (last !== null && pattern.test(last)) return last;
    await new Promise(resolve => setTimeout(resolve, 100));
  }
  throw new Error(`expected ${what} to match ${pattern}, last seen: ${JSON.stringify(last)}`);
}

async function expectVisible(locator, visible = true) {
  await locator.waitFor({ state: visible ? 'visible' : 'hidden' });
}

async function login(target, username, password) {
  await target.fill('#username', username);
  await target.fill('#password', password);
  await target.click('#login-button');
}

async function placeOrder(amount, description) {
  await page.fill('#amount', amount);
  await page.fill('#description', description);
  await page.click('#order-button');
}

const WIDE = { width: 1360, height: 1000 };
const PHONE = { width: 390, height: 844 };

/** Nothing wider than the viewport: the page does not scroll sideways and no element is cut off at the right. */
async function expectFits(target) {
  const { width, scrollWidth, outside, clipped } = await target.evaluate(() => {
    const visible = [...document.querySelectorAll('body *')].filter(n => n.getClientRects().length > 0);
    const name = n => `${n.tagName.toLowerCase()}${n.id ? `#${n.id}` : ''}${n.className ? `.${String(n.className).replace(/ /g, '.')}` : ''}`;
    return {
      width: window.innerWidth,
      scrollWidth: document.documentElement.scrollWidth,
      outside: visible.filter(n => n.getBoundingClientRect().right > window.innerWidth + 0.5).map(name),
      // An element whose content is wider than its box and does not show it (the token textarea scrolls on purpose).
      clipped: visible.filter(n => n.tagName !== 'TEXTAREA' && getComputedStyle(n).overflowX !== 'visible'
          && n.scrollWidth > n.clientWidth + 1).map(name),
    };
  });
  assert.ok(scrollWidth <= width, `the page is ${scrollWidth} px wide in a ${width} px viewport`);
  assert.deepEqual(outside, [], `elements beyond the right edge at ${width} px`);
  assert.deepEqual(clipped, [], `elements cut off at ${width} px`);
}

/** Each matching element (at least one) shows its text on one line, within its own box: not broken mid-value. */
async function expectOneLine(target, selector) {
  const cells = await target.locator(selector).evaluateAll(nodes => nodes.filter(n => n.getClientRects().length > 0).map(n => {
    const range = document.createRange();
    range.selectNodeContents(n);
    const lines = new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top)));
    const box = n.getBoundingClientRect();
    const text = range.getBoundingClientRect();
    return { text: n.textContent, lines: lines.size, whiteSpace: getComputedStyle(n).whiteSpace,
      inside: text.right <= Math.min(box.right, window.innerWidth) + 1 };
  }));
  assert.ok(cells.length > 0, `${selector} is on the page`);
  for (const cell of cells) {
    assert.equal(cell.lines, 1, `${selector} "${cell.text}" is on one line`);
    assert.equal(cell.whiteSpace, 'nowrap', `${selector} "${cell.text}" cannot break`);
    assert.ok(cell.inside, `${selector} "${cell.text}" fits its box`);
  }
}

const ONE_LINE = ['#orders tbody td.created', '#detail-id', '#detail-order tr[data-key="createdAt"] td',
  '#detail-order tr[data-key="customer.id"] td', '#detail-customer tr[data-key="id"] td', '#claims tr[data-key="jti"] td',
  '#claims tr[data-key="iat"] td', '#claims tr[data-key="exp"] td'];

/** Lists orders 100 a page from the first and walks the Link: rel="next" pages until the order's row shows. */
async function showOrderRow(id) {
  await page.selectOption('#page-size', '100');
  await page.click('#orders-button');
  await expectText(page.locator('#page-info'), /^page 1: /, 'the first page of 100');
  for (let number = 2; await page.locator(`#orders tbody tr[data-order-id="${id}"]`).count() === 0; number++) {
    assert.ok(number < 100 && !(await page.locator('#next-page-button').isDisabled()), `order ${id} is listed`);
    await page.click('#next-page-button');
    await expectText(page.locator('#page-info'), new RegExp(`^page ${number}: `), `page ${number}`);
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
let myJti;
let approvedId;
let approvedKey;

try {
  await step('console-opened', async () => {
    const response = await page.goto(consoleUrl);
    assert.equal(response.status(), 200, 'GET /console/ without a token');
    const csp = response.headers()['content-security-policy'] || '';
    assert.match(csp, /script-src 'self'/, 'the console is served with a strict CSP');
    assert.match(csp, /require-trusted-types-for 'script'/);
    await page.waitForSelector('body[data-ready="true"]');
    assert.equal(await page.evaluate(() => window.isSecureContext), true, `${consoleUrl} must be a secure context`);
    await expectText(page.locator('h1'), /Access Token console/);
    await expectVisible(page.locator('#login-form'));
    await expectVisible(page.locator('#app'), false);
    // A favicon, served like the page (the browser asks for /favicon.ico when the page names none: a 404).
    const icon = new URL(await page.locator('link[rel="icon"]').getAttribute('href'), consoleUrl);
    const iconResponse = await page.request.get(icon.href);
    assert.equal(iconResponse.status(), 200, `GET ${icon.pathname}`);
    assert.match(iconResponse.headers()['content-type'] || '', /^image\/svg\+xml/, 'the favicon is an SVG');
    assert.match(iconResponse.headers()['content-security-policy'] || '', /default-src 'none'/, 'under the same CSP');
    await page.waitForLoadState('networkidle');
    assert.deepEqual(notFound, [], 'loading the console asks for nothing that is not there');
  });

  await step('bad-password-shows-the-problem', async () => {
    await login(page, 'alice', wrongPassword);
    await expectVisible(page.locator('#login-problem'));
    await expectText(page.locator('#login-problem .problem-title'), /^401 Unauthorized$/, 'the problem title');
    await expectText(page.locator('#login-problem .problem-detail'), /^Invalid username or password$/, 'the problem detail');
    await expectVisible(page.locator('#app'), false);
  });

  await step('logged-in', async () => {
    await login(page, 'alice', 'alice');
    await expectText(page.locator('#session-user'), /^alice$/);
    await expectVisible(page.locator('#app'));
    await expectVisible(page.locator('#login-problem'), false);
    // The first page of orders is there without a click; a user sees the order form and no owner column.
    await expectText(page.locator('#page-info'), /^page 1: \d+ order\(s\), (more follow|the last page)$/, 'the orders loaded at login');
    await expectVisible(page.locator('#order-section'));
    await expectVisible(page.locator('#admin-note'), false);
    await expectVisible(page.locator('#orders thead th.owner-col'), false);
    // The token lives in the page's memory only.
    const stored = await page.evaluate(() => ({
      local: localStorage.length, session: sessionStorage.length, cookie: document.cookie,
    }));
    assert.deepEqual(stored, { local: 0, session: 0, cookie: '' }, 'no token in web storage or cookies');
  });

  await step('token-inspector-verified-signature', async () => {
    const signature = await expectText(page.locator('#signature'), /Signature valid/, 'the signature verdict');
    assert.match(signature, /RS256/);
    await expectText(page.locator('#claims tr[data-key="upn"] td'), /^alice$/);
    await expectText(page.locator('#claims tr[data-key="iss"] td'), /^https:\/\/api-gateway$/);
    await expectText(page.locator('#token-header'), /"alg": "RS256"/);
    const kid = JSON.parse(await page.locator('#token-header').textContent()).kid;
    assert.ok(kid, 'the header names its key');
    assert.match(signature, new RegExp(kid.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')), 'the verdict names the kid');
    myJti = (await page.locator('#claims tr[data-key="jti"] td').textContent()).trim();
    assert.ok(myJti.length > 0);
    // The expiry counts down.
    const first = await expectText(page.locator('#expiry'), /^Expires in \d+:\d\d$/);
    const later = await expectText(page.locator('#expiry'), /^Expires in \d+:\d\d$/);
    const seconds = text => text.match(/(\d+):(\d\d)/).slice(1).reduce((m, s) => m * 60 + Number(s));
    await page.waitForTimeout(2100);
    const afterTwoSeconds = await page.locator('#expiry').textContent();
    assert.ok(seconds(afterTwoSeconds) < seconds(later) && seconds(later) <= seconds(first),
        `the countdown moves: ${first}, ${later}, then ${afterTwoSeconds}`);
  });

  await step('token-inspector-tampered-token-refused', async () => {
    const token = await page.locator('#token-input').inputValue();
    const [header, payload, signature] = token.split('.');
    // A changed character in the middle of the signature changes its bytes.
    const middle = Math.floor(signature.length / 2);
    const tampered = `${header}.${payload}.${signature.slice(0, middle)}${signature[middle] === 'A' ? 'B' : 'A'}${signature.slice(middle + 1)}`;
    await page.fill('#token-input', tampered);
    await page.click('#inspect-button');
    await expectText(page.locator('#signature'), /^Signature INVALID/, 'the verdict on a tampered token');
  });

  await step('order-approved', async () => {
    await page.click('#inspect-mine-button');
    await expectText(page.locator('#signature'), /^Signature valid/, 'the verdict on my token again');
    await placeOrder('250.00', 'console: within credit');
    await expectVisible(page.locator('#placed'));
    await expectText(page.locator('#placed-state'), /^APPROVED$/, 'the order state');
    await expectText(page.locator('#placed-status'), /^201 Created$/);
    approvedKey = await expectText(page.locator('#placed-key'), UUID, 'the Idempotency-Key made in the page');
    approvedId = (await page.locator('#placed-id').textContent()).trim();
    assert.ok(approvedId);
  });

  await step('same-idempotency-key-same-order', async () => {
    const key = await page.locator('#placed-key').textContent();
    await page.click('#order-again-button');
    await expectText(page.locator('#placed-status'), /^200: the same order again/, 'the answer to a repeated key');
    assert.equal((await page.locator('#placed-id').textContent()).trim(), approvedId);
    assert.equal(await page.locator('#placed-key').textContent(), key);
    await expectText(page.locator('#placed-state'), /^APPROVED$/);
  });

  await step('order-rejected', async () => {
    // alice's credit is 1000.00, 250.00 of it now held: 1500.00 exceeds it whatever came before.
    await placeOrder('1500.00', 'console: beyond credit');
    await expectText(page.locator('#placed-state'), /^REJECTED$/, 'the order state');
    await expectText(page.locator('#placed-reason'), /^INSUFFICIENT_CREDIT$/, 'the rejection reason');
    assert.notEqual((await page.locator('#placed-id').textContent()).trim(), approvedId);
    assert.notEqual(await page.locator('#placed-key').textContent(), approvedKey, 'a new order gets a new key');
  });

  await step('invalid-order-shows-the-problem', async () => {
    await placeOrder('0', 'console: nothing');
    await expectText(page.locator('#order-problem .problem-title'), /^400 Bad Request$/, 'the problem title');
    await expectText(page.locator('#order-problem .problem-detail'), /^The request is not valid$/, 'the problem detail');
    await expectText(page.locator('#order-problem .violations'), /amount/, 'the violation');
    await expectVisible(page.locator('#placed'), false);
  });

  await step('orders-paged-by-link-header', async () => {
    await page.selectOption('#page-size', '1');
    await page.click('#orders-button');
    await expectText(page.locator('#page-info'), /^page 1: 1 order\(s\), more follow$/, 'the first page');
    const first = await page.locator('#orders tbody tr').getAttribute('data-order-id');
    await expectText(page.locator('#orders tbody tr td:nth-child(4)'), /^(APPROVED|REJECTED|PENDING)/);
    await page.click('#next-page-button');
    await expectText(page.locator('#page-info'), /^page 2: 1 order\(s\)/, 'the second page');
    const second = await page.locator('#orders tbody tr').getAttribute('data-order-id');
    assert.notEqual(second, first, 'the next page shows another order');
    // Walk on to the order placed above (on a fresh database it is the first one).
    await showOrderRow(approvedId);
    await expectText(page.locator(`#orders tbody tr[data-order-id="${approvedId}"] td:nth-child(4)`), /^APPROVED$/);
  });

  await step('order-opened-with-its-customer', async () => {
    await page.click(`#orders tbody tr[data-order-id="${approvedId}"] button.open-order`);
    await expectVisible(page.locator('#order-detail'));
    await expectText(page.locator('#detail-id'), new RegExp(`^${approvedId}$`));
    await expectText(page.locator('#detail-order tr[data-key="state"] td'), /^APPROVED$/);
    await expectText(page.locator('#detail-order tr[data-key="customer.name"] td'), /^Alice Liddell$/, "the order's customer");
    await expectText(page.locator('#detail-customer tr[data-key="name"] td'), /^Alice Liddell$/, '/api/customers/me');
    await expectText(page.locator('#detail-order tr[data-key="amount"] td'), /^250\.00$/);
    await expectText(page.locator('#detail-customer tr[data-key="creditLimit"] td'), /^1000\.00$/);
    await expectText(page.locator('#detail-customer tr[data-key="availableCredit"] td'), /^\d+\.\d\d$/);
    assert.match(await page.locator('#detail-customer tr[data-key="id"] td').getAttribute('class'), /(^| )same( |$)/,
        "the customer read by order-service is the caller's own");
    assert.equal(await page.locator('#detail-customer tr[data-key="id"] td').textContent(),
        await page.locator('#detail-order tr[data-key="customer.id"] td').textContent(), "the order's own customer");
    await expectVisible(page.locator('#customer-problem'), false);
  });

  await step('ids-and-timestamps-on-one-line', async () => {
    for (const selector of ONE_LINE) await expectOneLine(page, selector);
  });

  await step('trace-three-hops', async () => {
    await page.click('#trace-button');
    const hops = page.locator('#hops .hop');
    await expectText(page.locator('#trace-summary'), /All 3 hops saw the same subject/);
    assert.deepEqual(await hops.evaluateAll(nodes => nodes.map(n => n.dataset.hop)),
        ['api-gateway', 'order-service', 'customer-service'], 'the three hops, in order');
    for (const hop of ['api-gateway', 'order-service', 'customer-service']) {
      const column = page.locator(`#hops .hop[data-hop="${hop}"]`);
      for (const field of ['subject', 'username', 'tokenId']) {
        assert.equal(await column.locator(`[data-field="${field}"]`).getAttribute('class'), `field same${field === 'tokenId' ? ' mine' : ''}`,
            `${hop}'s ${field} is marked as the same at every hop`);
      }
      await expectText(column.locator('[data-field="username"] .value'), /^alice$/);
      await expectText(column.locator('[data-field="tokenId"] .value'), new RegExp(`^${myJti}$`), `${hop}'s jti`);
      await expectText(column.locator('[data-field="audience"] .value'), /order-service|customer-service/);
    }
    const subjects = await page.locator('#hops [data-field="subject"] .value').allTextContents();
    assert.equal(new Set(subjects).size, 1, `one subject at all hops: ${subjects}`);
    assert.ok(subjects[0] && subjects[0] !== '—');
    // For the README: the trace view on its own.
    await page.locator('#trace-section').screenshot({ path: join(screenshotDir, 'trace-view.png') });
  });

  await step('fits-390px', async () => {
    // Everything on screen at once (token, orders, an opened order, the trace), on a phone.
    await page.setViewportSize(PHONE);
    await page.waitForFunction(width => document.documentElement.clientWidth === width, PHONE.width);
    await expectFits(page);
    for (const selector of [...ONE_LINE, '#hops [data-field="tokenId"] .value']) await expectOneLine(page, selector);
    await expectVisible(page.locator('#orders tbody tr').first());
  });

  await step('expired-token-rotated-once', async () => {
    await page.setViewportSize(WIDE);
    // Both requests of an opened order are refused once, as an expired access token is: the page must rotate
    // the refresh token once and repeat both. Rotating the same refresh token twice is reuse, which revokes
    // the session.
    const refused = new Set();
    let repeated = 0;
    const expiredOnce = async route => {
      const path = new URL(route.request().url()).pathname;
      if (refused.has(path)) {
        repeated += 1;
        await route.continue();
      } else {
        refused.add(path);
        await route.fulfill({ status: 401, contentType: 'application/problem+json',
          body: JSON.stringify({ title: 'Unauthorized', status: 401, detail: 'The token has expired (simulated)' }) });
      }
    };
    const expiring = /\/api\/(orders\/[0-9a-f-]{36}|customers\/me)$/;
    const rotations = [];
    const onRequest = request => { if (new URL(request.url()).pathname === '/auth/token') rotations.push(request); };
    await page.route(expiring, expiredOnce);
    page.on('request', onRequest);
    try {
      await page.click(`#orders tbody tr[data-order-id="${approvedId}"] button.open-order`);
      const deadline = Date.now() + TIMEOUT;
      while (repeated < 2 && Date.now() < deadline) await new Promise(resolve => setTimeout(resolve, 100));
      assert.equal(refused.size, 2, 'both requests of the opened order were refused once');
      assert.equal(repeated, 2, 'both were repeated after the rotation');
      assert.equal(rotations.length, 1, 'one rotation of the refresh token for both');
      await expectText(page.locator('#detail-order tr[data-key="state"] td'), /^APPROVED$/);
      await expectText(page.locator('#detail-customer tr[data-key="name"] td'), /^Alice Liddell$/);
      // The session survived: its newest refresh token is accepted.
      const [rotated] = await Promise.all([
        page.waitForResponse(response => new URL(response.url()).pathname === '/auth/token'),
        page.click('#refresh-button')]);
      assert.equal(rotated.status(), 200, 'the session is still alive after the rotation');
    } finally {
      page.off('request', onRequest);
      await page.unroute(expiring, expiredOnce);
    }
  });

  await step('logged-out', async () => {
    await page.click('#logout-button');
    await expectVisible(page.locator('#login-form'));
    await expectVisible(page.locator('#app'), false);
    await expectText(page.locator('#login-message'), /^Logged out/);
    assert.equal(await page.locator('#token-input').inputValue(), '', 'the token is gone from the page');
  });

  await step('admin-sees-every-order-with-its-owner', async () => {
    await login(page, 'admin', 'admin');
    await expectText(page.locator('#session-user'), /^admin$/);
    // Loaded at login; admin places no orders (403), so no order form, and a column says whose each order is.
    await expectText(page.locator('#page-info'), /^page 1: [1-9]\d* order\(s\)/, 'the orders loaded at login');
    await expectVisible(page.locator('#order-section'), false);
    await expectVisible(page.locator('#admin-note'));
    await expectText(page.locator('#orders thead th.owner-col'), /^owner$/);
    await showOrderRow(approvedId);
    await expectText(page.locator(`#orders tbody tr[data-order-id="${approvedId}"] td.owner-col`), /^alice$/, "the order's owner");
    const owners = await page.locator('#orders tbody td.owner-col').allTextContents();
    assert.ok(owners.includes('bob'), `bob's orders too: ${owners}`);
    assert.ok(owners.every(owner => /^(alice|bob)$/.test(owner)), `every row names its owner: ${owners}`);
  });

  await step('admin-opens-an-order-with-its-customer', async () => {
    const asked = [];
    const onRequest = request => asked.push(new URL(request.url()).pathname);
    page.on('request', onRequest);
    try {
      await page.click(`#orders tbody tr[data-order-id="${approvedId}"] button.open-order`);
      await expectText(page.locator('#detail-id'), new RegExp(`^${approvedId}$`));
      await expectText(page.locator('#detail-customer tr[data-key="name"] td'), /^Alice Liddell$/, "the order's customer");
      assert.equal(await page.locator('#detail-customer tr[data-key="id"] td').textContent(),
          await page.locator('#detail-order tr[data-key="customer.id"] td').textContent());
      await expectText(page.locator('#customer-note'), /^admin has no customer record of its own: this is alice's/);
      await expectVisible(page.locator('#customer-problem'), false);
      assert.ok(!asked.includes('/api/customers/me'), `admin does not ask for a customer record it has not: ${asked}`);
      assert.deepEqual(notFound, [], 'no 404 on the way');
    } finally {
      page.off('request', onRequest);
    }
  });

  await step('admin-fits-390px', async () => {
    await page.setViewportSize(PHONE);
    await page.waitForFunction(width => document.documentElement.clientWidth === width, PHONE.width);
    await expectFits(page);
    for (const selector of [...ONE_LINE, '#orders tbody td.owner-col']) await expectOneLine(page, selector);
  });

  await step('admin-logged-out', async () => {
    await page.setViewportSize(WIDE);
    await page.click('#logout-button');
    await expectVisible(page.locator('#login-form'));
    await expectVisible(page.locator('#admin-note'), false);
  });

  const insecure = watch(await context.newPage());
  await step('insecure-context-says-webcrypto-is-unavailable', async () => {
    const url = new URL('/console/', base);
    url.hostname = INSECURE_HOST;
    await insecure.goto(url.href);
    await insecure.waitForSelector('body[data-ready="true"]');
    assert.equal(await insecure.evaluate(() => window.isSecureContext), false, `${url} is not a secure context`);
    await login(insecure, 'alice', 'alice');
    await expectText(insecure.locator('#signature'), /^WebCrypto unavailable/, 'the verdict without WebCrypto');
    assert.doesNotMatch(await insecure.locator('#signature').textContent(), /Signature valid/);
    await expectText(insecure.locator('#claims tr[data-key="upn"] td'), /^alice$/, 'the claims are still decoded');
  }, insecure);

  await step('no-page-errors', async () => {
    assert.deepEqual(pageFaults, [], 'no uncaught error and no CSP or Trusted Types refusal');
    assert.deepEqual(notFound, [], 'no request answered 404 (favicon, /api/customers/me for admin, ...)');
  });
} catch {
  // Reported by step(); the remaining steps depend on it.
} finally {
  await browser.close();
}

console.log(`console: ${passed} passed, ${failed} failed (screenshots in ${screenshotDir})`);
process.exit(failed === 0 && passed > 0 ? 0 : 1);
