// Shared-terminal idle lock: a visible countdown, reset by any input; at zero the terminal locks.
(function () {
  const el = document.querySelector('[data-idle-lock-seconds]');
  if (!el) return;
  const limit = parseInt(el.dataset.idleLockSeconds, 10);
  const lockUrl = el.dataset.lockUrl;
  const label = el.dataset.label || '';
  let left = limit;
  const reset = () => { left = limit; };
  ['mousemove', 'keydown', 'mousedown', 'touchstart', 'scroll'].forEach(e =>
    window.addEventListener(e, reset, { passive: true }));
  const tick = () => {
    left -= 1;
    el.textContent = label + ' ' + Math.max(left, 0) + 's';
    el.classList.toggle('soon', left <= 30);
    if (left <= 0) {
      const form = document.createElement('form');
      form.method = 'post';
      form.action = lockUrl;
      const csrf = document.querySelector('meta[name="_csrf"]');
      if (csrf) {
        const i = document.createElement('input');
        i.type = 'hidden'; i.name = csrf.dataset.param; i.value = csrf.content;
        form.appendChild(i);
      }
      document.body.appendChild(form);
      form.submit();
      return;
    }
    setTimeout(tick, 1000);
  };
  setTimeout(tick, 1000);
})();

// Lock screen: card taps from the terminal agent (PC/SC reader) fill the card field and move to
// the PIN. A keyboard-emulating reader types into the field instead; both end at the same form.
(function () {
  const uid = document.querySelector('input[data-card-agent]');
  if (!uid || !window.EventSource) return;
  const pin = document.getElementById('pin');
  let source;
  const connect = () => {
    source = new EventSource(uid.dataset.cardAgent);
    source.addEventListener('card', e => {
      try {
        uid.value = JSON.parse(e.data).uid;
        if (pin) { pin.value = ''; pin.focus(); }
      } catch (ignored) { /* a malformed event changes nothing */ }
    });
    source.onerror = () => { source.close(); setTimeout(connect, 5000); };
  };
  connect();
  uid.addEventListener('keydown', e => {
    if (e.key === 'Enter' && pin && !pin.value) { e.preventDefault(); pin.focus(); }
  });
})();
