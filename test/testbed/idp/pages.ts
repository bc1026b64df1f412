/**
 * The IdP's HTML pages: plain forms with stable ids and names, no remote
 * fonts or scripts, so a headless browser or a fetch-based test can fill them.
 */
const STYLE =
  'body{font-family:sans-serif;max-width:22rem;margin:3rem auto}label,input,button{display:block;width:100%;margin:.4rem 0}' +
  'input{padding:.4rem;box-sizing:border-box}button{padding:.5rem}.error{color:#b00020}code{font-size:1.6em}';

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function page(title: string, body: string): string {
  return (
    `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>` +
    `<style>${STYLE}</style></head><body><h1>${escapeHtml(title)}</h1>${body}</body></html>`
  );
}

export function loginPage(uid: string, clientName: string, error?: string, username = ''): string {
  const action = `/interaction/${encodeURIComponent(uid)}`;
  return page(
    'Sign in to the test bed',
    `<p>to continue to <strong>${escapeHtml(clientName)}</strong></p>` +
      (error === undefined ? '' : `<p class="error" id="error" role="alert">${escapeHtml(error)}</p>`) +
      `<form id="login" method="post" action="${action}/login" autocomplete="off">` +
      `<label for="username">Username</label><input id="username" name="username" value="${escapeHtml(username)}" required autofocus>` +
      `<label for="password">Password</label><input id="password" name="password" type="password" required>` +
      `<button id="sign-in" type="submit">Sign in</button></form>` +
      `<form id="cancel" method="post" action="${action}/abort"><button id="cancel-button" type="submit">Cancel</button></form>`,
  );
}

export function deviceInputPage(form: string, error?: string): string {
  return page(
    'Connect a device',
    (error === undefined
      ? '<p>Enter the code shown on your device.</p>'
      : `<p class="error" id="error" role="alert">${escapeHtml(error)}</p>`) +
      form +
      '<button id="continue" type="submit" form="op.deviceInputForm">Continue</button>',
  );
}

export function deviceConfirmPage(form: string, clientName: string, userCode: string): string {
  return page(
    'Confirm the device',
    `<p><strong>${escapeHtml(clientName)}</strong> asks to sign in. It should show this code:</p>` +
      `<p><code id="user-code">${escapeHtml(userCode)}</code></p>${form}` +
      '<button id="confirm" type="submit" form="op.deviceConfirmForm">Continue</button>' +
      '<button id="abort" type="submit" form="op.deviceConfirmForm" name="abort" value="yes">Abort</button>',
  );
}

export function messagePage(title: string, message: string): string {
  return page(title, `<p id="message">${escapeHtml(message)}</p>`);
}

export function logoutPage(form: string): string {
  return page(
    'Sign out',
    `${form}<button id="logout" type="submit" form="op.logoutForm" name="logout" value="yes">Sign out</button>` +
      '<button id="stay" type="submit" form="op.logoutForm">Stay signed in</button>',
  );
}

export function errorPage(out: object): string {
  const rows = Object.entries(out).map(
    ([key, value]) => `<p><strong>${escapeHtml(key)}</strong>: <span id="${escapeHtml(key)}">${escapeHtml(String(value))}</span></p>`,
  );
  return page('Sign-in error', rows.join(''));
}
