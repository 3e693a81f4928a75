// Passkeys on the sign-in and account pages: the browser's WebAuthn calls, with the options and
// answers in WebAuthn's JSON form (parse…OptionsFromJSON / toJSON), posted with the page's
// anti-forgery token. Errors are shown in the page's alert, never swallowed.
(() => {
  'use strict';

  const csrf = () => document.querySelector('input[name="__RequestVerificationToken"]')?.value ?? '';

  async function post(url, body) {
    const response = await fetch(url, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', 'X-CSRF-TOKEN': csrf() },
      body: JSON.stringify(body),
    });
    const json = await response.json().catch(() => ({}));
    if (!response.ok) throw new Error(json.detail || `The server answered ${response.status}.`);
    return json;
  }

  function explain(error) {
    if (error && error.name === 'NotAllowedError') return 'The passkey request was cancelled or timed out.';
    if (error && error.name === 'InvalidStateError') return 'That authenticator already holds a passkey for you here.';
    return (error && error.message) || String(error);
  }

  function show(id, message) {
    const box = document.getElementById(id);
    if (!box) return;
    box.textContent = message;
    box.hidden = false;
  }

  function supported(errorId) {
    if (window.PublicKeyCredential && PublicKeyCredential.parseRequestOptionsFromJSON) return true;
    show(errorId, 'This browser cannot use passkeys here.');
    return false;
  }

  const signIn = document.getElementById('passkey-signin');
  if (signIn) {
    signIn.addEventListener('click', async () => {
      document.getElementById('passkey-error').hidden = true;
      if (!supported('passkey-error')) return;
      signIn.disabled = true;
      try {
        const name = document.getElementById('name')?.value.trim() || null;
        const { challenge, options } = await post('/login/passkey/options', { name });
        const credential = await navigator.credentials.get({ publicKey: PublicKeyCredential.parseRequestOptionsFromJSON(options) });
        const done = await post('/login/passkey', { challenge, credential: credential.toJSON(), returnUrl: signIn.dataset.returnUrl || null });
        location.assign(done.redirect);
      } catch (error) {
        show('passkey-error', explain(error));
      } finally {
        signIn.disabled = false;
      }
    });
  }

  const add = document.getElementById('passkey-add');
  if (add) {
    add.addEventListener('submit', async (event) => {
      event.preventDefault();
      document.getElementById('passkey-add-error').hidden = true;
      if (!supported('passkey-add-error')) return;
      const button = add.querySelector('button[type=submit]');
      button.disabled = true;
      try {
        const name = add.querySelector('input[name=name]').value.trim();
        const { challenge, options } = await post('/account/passkeys/options', {});
        const credential = await navigator.credentials.create({ publicKey: PublicKeyCredential.parseCreationOptionsFromJSON(options) });
        await post('/account/passkeys', { challenge, name, credential: credential.toJSON() });
        location.reload();
      } catch (error) {
        show('passkey-add-error', explain(error));
      } finally {
        button.disabled = false;
      }
    });
  }
})();
