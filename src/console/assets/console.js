// wix-event-agent console: progressive enhancement only. Pages work without this script; with it,
// the live region refreshes when the server says something changed, and action forms update in place.
(function () {
  'use strict';
  var live = document.getElementById('live');
  var announce = document.getElementById('announce');
  if (!live || live.getAttribute('data-live') !== 'on') return;

  var version = null;
  var delay = 2000;
  var busy = false;

  function say(text, isError) {
    if (!announce) return;
    announce.textContent = text;
    announce.className = 'announce ' + (isError ? 'announce-error' : 'announce-ok');
  }

  // Keep what the reader opened (details) and where focus was, across a refresh.
  function openKeys() {
    var keys = [];
    live.querySelectorAll('details[open][data-key]').forEach(function (d) {
      keys.push(d.getAttribute('data-key'));
    });
    return keys;
  }

  function refresh() {
    if (busy) return Promise.resolve();
    busy = true;
    var keep = openKeys();
    var focusedId =
      document.activeElement && live.contains(document.activeElement) ? document.activeElement.id : '';
    return fetch(location.pathname + location.search, {
      headers: { 'x-console-fetch': '1' },
      credentials: 'same-origin',
    })
      .then(function (r) {
        if (r.status === 401) location.assign('/console/login');
        return r.ok ? r.text() : null;
      })
      .then(function (text) {
        if (!text) return;
        var doc = new DOMParser().parseFromString(text, 'text/html');
        var next = doc.getElementById('live');
        if (!next) return;
        live.innerHTML = next.innerHTML;
        keep.forEach(function (k) {
          var d = live.querySelector('details[data-key="' + CSS.escape(k) + '"]');
          if (d) d.open = true;
        });
        if (focusedId) {
          var f = document.getElementById(focusedId);
          if (f) f.focus();
        }
        var nav = doc.querySelector('header nav');
        var current = document.querySelector('header nav');
        if (nav && current) current.innerHTML = nav.innerHTML;
      })
      .finally(function () {
        busy = false;
      });
  }

  function poll() {
    fetch('/console/changes?path=' + encodeURIComponent(location.pathname), {
      headers: { 'x-console-fetch': '1' },
      credentials: 'same-origin',
    })
      .then(function (r) {
        if (r.status === 401) location.assign('/console/login');
        return r.ok ? r.json() : null;
      })
      .then(function (body) {
        if (!body) return;
        if (body.pollSeconds) delay = body.pollSeconds * 1000;
        if (version !== null && body.version !== version)
          return refresh().then(function () {
            version = body.version;
          });
        version = body.version;
      })
      .catch(function () {})
      .finally(function () {
        setTimeout(poll, delay);
      });
  }
  poll();

  // Action forms (approve, reject, redrive): post with fetch, show the result without a reload.
  document.addEventListener('submit', function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.classList.contains('action')) return;
    event.preventDefault();
    var confirmText = form.getAttribute('data-confirm');
    if (confirmText && !window.confirm(confirmText)) return;
    var button = form.querySelector('button');
    if (button) button.disabled = true;
    say('Working…', false);
    fetch(form.action, {
      method: 'POST',
      body: new URLSearchParams(new FormData(form)),
      headers: { 'x-console-fetch': '1' },
      credentials: 'same-origin',
    })
      .then(function (r) {
        return r
          .json()
          .catch(function () {
            return { message: 'The service answered ' + r.status + '.' };
          })
          .then(function (body) {
            say(body.message || (r.ok ? 'Done.' : 'Failed.'), !r.ok);
            var row = form.closest('[data-row]');
            if (r.ok && body.html && row) {
              var holder = document.createElement('div');
              holder.innerHTML = body.html;
              var fresh = holder.firstElementChild;
              if (fresh) {
                row.replaceWith(fresh);
                fresh.setAttribute('tabindex', '-1');
                fresh.focus();
              }
            } else if (r.ok) {
              return refresh();
            }
            if (button && !r.ok) button.disabled = false;
          });
      })
      .catch(function () {
        say('The service could not be reached.', true);
        if (button) button.disabled = false;
      });
  });
})();
