// A real OpenID provider for the tests and the local demo: panva's oidc-provider (an
// OpenID-certified implementation), on 127.0.0.1, with its own sign-in page.
//
//   node tests/oidc/provider.mjs [settings.json]
//
// settings.json (every key optional):
//   port      where to listen (0, the default: a free port)
//   clients   oidc-provider client records (client_id, client_secret, redirect_uris, ...)
//   accounts  {login: {password, claims: {email, email_verified, name, groups, ...}}}
//   jwks      {keys: [private JWK, ...]} to sign ID tokens with (default: an RSA key made now)
// Without a file it serves the demo's client and accounts (DEMO below).
//
// When it is listening it prints one line of JSON to stdout: {"issuer": "http://127.0.0.1:PORT"}.
// It stops on SIGTERM or SIGINT, or when its standard input closes (the parent went away).

import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';

import Provider from 'oidc-provider';

const DEMO = {
  port: 5010,
  clients: [{
    client_id: 'shortlist-demo',
    client_secret: 'demo-secret-for-local-use-only',
    redirect_uris: ['http://127.0.0.1:5000/sign-in/sso/callback', 'http://localhost:5000/sign-in/sso/callback'],
    post_logout_redirect_uris: ['http://127.0.0.1:5000/sign-in', 'http://localhost:5000/sign-in'],
  }],
  accounts: {
    'sso.hr': { password: 'demo-password', claims: { email: 'sso.hr@kent.example.org', email_verified: true, name: 'Sunita Hale', groups: ['shortlist-hr'] } },
    'sso.manager': { password: 'demo-password', claims: { email: 'sso.manager@kent.example.org', email_verified: true, name: 'Marcus Webb', groups: ['shortlist-managers'] } },
    'sso.panel': { password: 'demo-password', claims: { email: 'sso.panel@kent.example.org', email_verified: true, name: 'Nell Carter', groups: [] } },
  },
};

const settings = process.argv[2] ? JSON.parse(readFileSync(process.argv[2], 'utf8')) : DEMO;
const accounts = settings.accounts ?? {};

function signingKeys() {
  if (settings.jwks) return settings.jwks;
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { keys: [{ ...privateKey.export({ format: 'jwk' }), kid: randomBytes(8).toString('hex'), use: 'sig', alg: 'RS256' }] };
}

const escape = (text) => String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(title, body) {
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>${escape(title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{font-family:sans-serif;max-width:30em;margin:2em auto;padding:0 1em}label{display:block;margin-top:1em}
input{display:block;font-size:1.1em;width:100%}button{margin-top:1.5em;font-size:1.1em}.error{color:#b00;font-weight:bold}</style>
</head><body><main><h1>${escape(title)}</h1>${body}</main></body></html>`;
}

function loginForm(uid, error = '', login = '') {
  return page('Test identity provider: sign in', `
${error ? `<p class="error" role="alert">${escape(error)}</p>` : ''}
<form method="post" action="/interaction/${escape(uid)}/login">
<label for="login">Username</label><input id="login" name="login" autocomplete="username" value="${escape(login)}" required>
<label for="password">Password</label><input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit">Sign in</button>
</form>`);
}

const server = createServer();
server.listen(settings.port ?? 0, '127.0.0.1', () => {
  const { port } = server.address();
  const issuer = `http://127.0.0.1:${port}`;
  const oidc = new Provider(issuer, {
    clients: settings.clients ?? [],
    jwks: signingKeys(),
    cookies: { keys: [randomBytes(32).toString('hex')] },
    // email and profile claims in the ID token itself, as Entra ID and Google put them there
    conformIdTokenClaims: false,
    claims: {
      openid: ['sub'],
      email: ['email', 'email_verified'],
      profile: ['name', 'given_name', 'family_name', 'groups', 'roles'],
    },
    pkce: { required: () => true },
    features: {
      devInteractions: { enabled: false },
      rpInitiatedLogout: {
        enabled: true,
        async logoutSource(ctx, form) {
          ctx.body = page('Test identity provider: sign out', `${form}
<p>Sign out of the test identity provider too?</p>
<button type="submit" form="op.logoutForm" value="yes" name="logout">Yes, sign me out</button>
<button type="submit" form="op.logoutForm">No, stay signed in</button>`);
        },
        async postLogoutSuccessSource(ctx) {
          ctx.body = page('Test identity provider: signed out', '<p>You have signed out of the test identity provider.</p>');
        },
      },
    },
    async findAccount(ctx, id) {
      const account = accounts[id];
      if (!account) return undefined;
      return { accountId: id, async claims() { return { sub: id, ...account.claims }; } };
    },
    // the organisation's own application: no consent screen (as an administrator's consent in Entra ID)
    async loadExistingGrant(ctx) {
      const grantId = ctx.oidc.result?.consent?.grantId || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
      if (grantId) return ctx.oidc.provider.Grant.find(grantId);
      const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
      grant.addOIDCScope('openid email profile');
      await grant.save();
      return grant;
    },
    ttl: { Session: 3600, Interaction: 600, Grant: 3600, AccessToken: 600, AuthorizationCode: 60, IdToken: 600 },
  });
  oidc.on('server_error', (ctx, error) => console.error('server_error', error));

  const callback = oidc.callback();
  server.on('request', async (req, res) => {
    const match = /^\/interaction\/([^/?]+)(\/login)?/.exec(req.url);
    if (!match) return callback(req, res);
    try {
      const details = await oidc.interactionDetails(req, res);
      res.setHeader('Cache-Control', 'no-store');
      if (req.method === 'GET' && !match[2]) {
        res.setHeader('Content-Type', 'text/html; charset=utf-8');
        return res.end(loginForm(details.uid, '', details.params.login_hint ?? ''));
      }
      if (req.method === 'POST' && match[2]) {
        let body = '';
        for await (const chunk of req) { body += chunk; if (body.length > 10000) throw new Error('too long'); }
        const form = new URLSearchParams(body);
        const login = form.get('login') ?? '';
        const account = accounts[login];
        if (!account || account.password !== form.get('password')) {
          res.statusCode = 200;
          res.setHeader('Content-Type', 'text/html; charset=utf-8');
          return res.end(loginForm(details.uid, 'Enter a correct username and password', login));
        }
        return oidc.interactionFinished(req, res, { login: { accountId: login } }, { mergeWithLastSubmission: false });
      }
      res.statusCode = 405;
      return res.end();
    } catch (error) {
      res.statusCode = 400;
      res.setHeader('Content-Type', 'text/plain');
      return res.end(`interaction failed: ${error.message}`);
    }
  });
  process.stdout.write(`${JSON.stringify({ issuer })}\n`);
});

const stop = () => server.close(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
if (process.argv[2]) {
  process.stdin.on('end', stop).on('close', stop).resume();
}
