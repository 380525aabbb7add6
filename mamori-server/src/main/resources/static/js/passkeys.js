// Passkeys (WebAuthn): sign in from the login page, confirm the second step after a password,
// register one on the account page. Messages come from data attributes of the page, so that the
// page's language is used; the server's JSON answers say what went wrong in English for the log.
(function () {
  const b64 = {
    encode(buffer) {
      let s = '';
      new Uint8Array(buffer).forEach(b => { s += String.fromCharCode(b); });
      return btoa(s).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
    },
    decode(text) {
      const s = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
      const bytes = new Uint8Array(s.length);
      for (let i = 0; i < s.length; i++) bytes[i] = s.charCodeAt(i);
      return bytes.buffer;
    }
  };

  function headers() {
    const meta = document.querySelector('meta[name="_csrf"]');
    const h = { 'Content-Type': 'application/json' };
    if (meta) h['X-CSRF-TOKEN'] = meta.content;
    return h;
  }

  function post(path, body) {
    const base = document.body.dataset.contextPath || '';
    return fetch(base + path, {
      method: 'POST', headers: headers(), credentials: 'same-origin',
      body: body === undefined ? undefined : JSON.stringify(body)
    });
  }

  function say(el, text, ok) {
    if (!el) return;
    el.textContent = text;
    el.hidden = false;
    el.className = ok ? 'ok' : 'error';
  }

  async function signIn(button) {
    const status = document.getElementById(button.dataset.status);
    if (!window.PublicKeyCredential) { say(status, button.dataset.unsupported); return; }
    try {
      const optionsAnswer = await post('/webauthn/authenticate/options');
      if (!optionsAnswer.ok) throw new Error('options ' + optionsAnswer.status);
      const options = await optionsAnswer.json();
      options.challenge = b64.decode(options.challenge);
      options.allowCredentials = (options.allowCredentials || []).map(c => ({ ...c, id: b64.decode(c.id) }));
      const cred = await navigator.credentials.get({ publicKey: options });
      const r = cred.response;
      const answer = await post('/login/webauthn', {
        id: cred.id,
        rawId: b64.encode(cred.rawId),
        response: {
          authenticatorData: b64.encode(r.authenticatorData),
          clientDataJSON: b64.encode(r.clientDataJSON),
          signature: b64.encode(r.signature),
          userHandle: r.userHandle ? b64.encode(r.userHandle) : undefined
        },
        type: cred.type,
        clientExtensionResults: cred.getClientExtensionResults(),
        authenticatorAttachment: cred.authenticatorAttachment
      });
      const result = await answer.json().catch(() => ({}));
      if (answer.ok && result.authenticated && result.redirectUrl) {
        window.location.href = result.redirectUrl;
        return;
      }
      say(status, button.dataset.failed);
    } catch (e) {
      // Cancelled by the person, timed out, or no passkey for this site on the device.
      say(status, button.dataset.failed);
    }
  }

  async function register(form) {
    const status = document.getElementById(form.dataset.status);
    const label = form.querySelector('input[name="label"]').value.trim();
    if (!label) { say(status, form.dataset.labelRequired); return; }
    if (!window.PublicKeyCredential) { say(status, form.dataset.unsupported); return; }
    try {
      const optionsAnswer = await post('/webauthn/register/options');
      if (!optionsAnswer.ok) throw new Error('options ' + optionsAnswer.status);
      const options = await optionsAnswer.json();
      options.challenge = b64.decode(options.challenge);
      options.user = { ...options.user, id: b64.decode(options.user.id) };
      options.excludeCredentials = (options.excludeCredentials || []).map(c => ({ ...c, id: b64.decode(c.id) }));
      const cred = await navigator.credentials.create({ publicKey: options });
      const r = cred.response;
      const answer = await post('/webauthn/register', {
        publicKey: {
          label,
          credential: {
            id: cred.id,
            rawId: b64.encode(cred.rawId),
            response: {
              attestationObject: b64.encode(r.attestationObject),
              clientDataJSON: b64.encode(r.clientDataJSON),
              transports: r.getTransports ? r.getTransports() : []
            },
            type: cred.type,
            clientExtensionResults: cred.getClientExtensionResults(),
            authenticatorAttachment: cred.authenticatorAttachment
          }
        }
      });
      if (answer.ok) {
        window.location.href = form.dataset.done;
        return;
      }
      const result = await answer.json().catch(() => ({}));
      say(status, result.error === 'sign_in_again' ? form.dataset.signInAgain : form.dataset.failed);
    } catch (e) {
      say(status, form.dataset.failed);
    }
  }

  document.querySelectorAll('button[data-passkey-sign-in]').forEach(b =>
    b.addEventListener('click', e => { e.preventDefault(); signIn(b); }));
  document.querySelectorAll('form[data-passkey-register]').forEach(f =>
    f.addEventListener('submit', e => { e.preventDefault(); register(f); }));
  // Removing a passkey asks once more: it cannot be undone, only registered again.
  document.querySelectorAll('form[data-confirm]').forEach(f =>
    f.addEventListener('submit', e => { if (!window.confirm(f.dataset.confirm)) e.preventDefault(); }));
})();
