// A local OpenID Connect provider standing in for e-Devlet Kapısı in eimza's
// integration tests (tests/integration/test_edevlet.py). Listens on
// 127.0.0.1 only.
//
//   node provider.mjs PORT CLIENT_ID CLIENT_SECRET REDIRECT_URI
//
// No login pages: an authorization request is answered for the current
// test account at once (login and consent granted by the interaction
// handler below). Test-only control routes, on the same loopback port:
//   GET /_test/account?tckn=N   the T.C. Kimlik No claim of the next sign-ins
//   GET /_test/mode?m=M         how the next token answers' ID tokens are
//                               changed before they leave: none | aud (another
//                               audience) | nonce (another nonce) | forged
//                               (signed with a key not in the JWKS) | alg-none
//                               (unsigned) | expired; each re-signed with
//                               the provider's own key unless said otherwise
// Prints "ready" on stdout once listening.
import Provider from 'oidc-provider';
import { SignJWT, exportJWK, generateKeyPair, decodeJwt, decodeProtectedHeader } from 'jose';

const [port, clientId, clientSecret, redirectUri] = process.argv.slice(2);
if (!port || !clientId || !clientSecret || !redirectUri) {
  console.error('usage: node provider.mjs PORT CLIENT_ID CLIENT_SECRET REDIRECT_URI');
  process.exit(2);
}
const issuer = `http://127.0.0.1:${port}`;

const signing = await generateKeyPair('RS256', { extractable: true });
const signingJwk = { ...(await exportJWK(signing.privateKey)), kid: 'edevlet-test-1', alg: 'RS256', use: 'sig' };
const stranger = await generateKeyPair('RS256', { extractable: true });

const state = { tckn: '', mode: 'none' };

const provider = new Provider(issuer, {
  clients: [{
    client_id: clientId,
    client_secret: clientSecret,
    redirect_uris: [redirectUri],
    grant_types: ['authorization_code'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_basic',
    id_token_signed_response_alg: 'RS256',
  }],
  jwks: { keys: [signingJwk] },
  claims: { openid: ['sub', 'tckn'] },
  conformIdTokenClaims: false,
  findAccount: async (_ctx, id) => ({
    accountId: id,
    claims: async () => ({ sub: id, tckn: state.tckn }),
  }),
  features: { devInteractions: { enabled: false } },
  pkce: { required: () => true },
  interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
  cookies: { keys: ['edevlet-test-cookie-key'] },
});

// Changes the ID token of a token answer as the current mode says.
async function tamper(idToken) {
  const claims = decodeJwt(idToken);
  const header = decodeProtectedHeader(idToken);
  const now = Math.floor(Date.now() / 1000);
  let key = signing.privateKey;
  switch (state.mode) {
    case 'aud': claims.aud = 'baska-istemci'; break;
    case 'nonce': claims.nonce = 'baska-bir-nonce'; break;
    case 'expired': claims.iat = now - 7200; claims.exp = now - 3600; break;
    case 'forged': key = stranger.privateKey; claims.tckn = state.tckn; break;
    case 'alg-none': {
      const b64 = (o) => Buffer.from(JSON.stringify(o)).toString('base64url');
      return `${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims)}.`;
    }
    default: return idToken;
  }
  return new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: header.kid }).sign(key);
}

provider.use(async (ctx, next) => {
  if (ctx.path === '/_test/account') {
    state.tckn = String(ctx.query.tckn || '');
    ctx.body = 'ok';
    return;
  }
  if (ctx.path === '/_test/mode') {
    state.mode = String(ctx.query.m || 'none');
    ctx.body = 'ok';
    return;
  }
  if (ctx.path.startsWith('/interaction/')) {
    const details = await provider.interactionDetails(ctx.req, ctx.res);
    let result;
    if (details.prompt.name === 'login') {
      result = { login: { accountId: `hesap-${state.tckn}` } };
    } else {
      const grant = new provider.Grant({ accountId: details.session.accountId, clientId });
      grant.addOIDCScope('openid');
      grant.addOIDCClaims(['tckn']);
      result = { consent: { grantId: await grant.save() } };
    }
    await provider.interactionFinished(ctx.req, ctx.res, result, { mergeWithLastSubmission: false });
    return;
  }
  await next();
  if (ctx.path === '/token' && ctx.method === 'POST' && ctx.status === 200 && ctx.body && ctx.body.id_token) {
    ctx.body = { ...ctx.body, id_token: await tamper(ctx.body.id_token) };
  }
});

provider.listen(Number(port), '127.0.0.1', () => {
  console.log('ready');
});
