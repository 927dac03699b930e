/**
 * The phone remote's page, served by main's remote listener (remote-host.ts). It is plain
 * HTML, CSS and one script file (no inline script, no framework, no build step), so the
 * listener can serve it from Electron and the CLI alike under a strict CSP. It holds no secret:
 * the device token lives in an HttpOnly cookie the page never reads.
 */

export const REMOTE_PAGE_HTML = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>Mixdeck remote</title>
    <link rel="stylesheet" href="/remote.css" />
    <script src="/remote.js" defer></script>
  </head>
  <body>
    <h1>Mixdeck remote</h1>
    <p id="message" role="status"></p>
    <form id="pair" hidden>
      <label for="code">Pairing code shown on the laptop</label>
      <input id="code" name="code" inputmode="numeric" autocomplete="one-time-code" maxlength="6" pattern="[0-9]{6}" required />
      <label for="device">This phone's name</label>
      <input id="device" name="device" maxlength="60" value="Phone" />
      <button type="submit" id="pair-button">Pair</button>
    </form>
    <main id="remote" hidden>
      <section>
        <h2>Set</h2>
        <p id="set-state">—</p>
        <button type="button" id="go-live">Go Live</button>
        <button type="button" id="end">End the set</button>
      </section>
      <section>
        <h2>Targets</h2>
        <ul id="targets"></ul>
      </section>
      <section>
        <h2>Now playing</h2>
        <p id="now-playing">—</p>
      </section>
      <section>
        <h2>Player</h2>
        <button type="button" data-player="player.previous">Previous</button>
        <button type="button" data-player="player.playPause" data-value="1">Play</button>
        <button type="button" data-player="player.playPause" data-value="0">Pause</button>
        <button type="button" data-player="player.next">Next</button>
      </section>
    </main>
  </body>
</html>
`;

export const REMOTE_PAGE_CSS = `body{font:16px system-ui,sans-serif;margin:0 auto;max-width:32rem;padding:1rem;background:#111;color:#eee}
button{font-size:1.1rem;padding:.8rem 1rem;margin:.25rem;border-radius:.5rem;border:1px solid #555;background:#222;color:#eee}
button#end{border-color:#c33}button#go-live{border-color:#3a3}
input{font-size:1.3rem;padding:.5rem;display:block;margin:.3rem 0 1rem;width:100%;box-sizing:border-box}
ul{padding-left:1.2rem}#message{color:#fc6}
`;

export const REMOTE_PAGE_SCRIPT = `'use strict';
(function () {
  var byId = function (id) { return document.getElementById(id); };
  var socket = null;
  var nextId = 1;
  var pending = new Map();
  var endArmed = false;

  function say(text) { byId('message').textContent = text || ''; }
  function show(paired) { byId('pair').hidden = paired; byId('remote').hidden = !paired; }

  function call(name, input) {
    return new Promise(function (resolve, reject) {
      if (!socket || socket.readyState !== 1) return reject(new Error('Not connected to Mixdeck.'));
      var id = nextId++;
      pending.set(id, { resolve: resolve, reject: reject });
      socket.send(JSON.stringify({ t: 'call', id: id, name: name, input: input || {} }));
    });
  }

  function renderTargets(targets) {
    var list = byId('targets');
    list.textContent = '';
    targets.forEach(function (target) {
      var item = document.createElement('li');
      item.dataset.state = target.state;
      item.textContent = target.name + ': ' + target.state + (target.reason ? ' (' + target.reason + ')' : '');
      list.appendChild(item);
    });
  }
  function renderSet(set) { byId('set-state').textContent = set.state + (set.elapsedSec ? ' · ' + Math.round(set.elapsedSec) + ' s' : ''); }
  function renderNowPlaying(nowPlaying) {
    byId('now-playing').textContent = nowPlaying ? (nowPlaying.text || [nowPlaying.artist, nowPlaying.title].filter(Boolean).join(' – ')) : '—';
  }
  function renderStatus(status) {
    renderSet(status.set);
    renderTargets(status.targets);
    renderNowPlaying(status.nowPlaying);
  }

  function connect() {
    socket = new WebSocket((location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/remote-ws', ['mixdeck-remote']);
    socket.onopen = function () {
      show(true);
      say('Connected.');
      call('broadcast.status').then(renderStatus, function (error) { say(error.message); });
    };
    socket.onmessage = function (message) {
      var data = JSON.parse(message.data);
      if (data.t === 'reply') {
        var waiting = pending.get(data.id);
        if (!waiting) return;
        pending.delete(data.id);
        if (data.reply.ok) waiting.resolve(data.reply.value);
        else waiting.reject(new Error(data.reply.error.message));
      } else if (data.t === 'event') {
        if (data.name === 'broadcast.targetStatus') renderTargets(data.payload.targets);
        else if (data.name === 'broadcast.setState') renderSet(data.payload);
        else if (data.name === 'broadcast.nowPlaying') renderNowPlaying(data.payload.nowPlaying);
      }
    };
    socket.onclose = function (event) {
      pending.forEach(function (waiting) { waiting.reject(new Error('The connection to Mixdeck closed.')); });
      pending.clear();
      socket = null;
      if (event.code === 4401) { show(false); say(event.reason || 'This phone is no longer paired. Pair it again.'); return; }
      checkSession();
    };
  }

  function checkSession() {
    fetch('/session', { credentials: 'same-origin' }).then(function (response) { return response.json(); }).then(function (session) {
      if (session.paired) connect();
      else { show(false); say('Enter the code shown in Mixdeck › Settings › Remote.'); }
    }, function () { show(false); say('Mixdeck cannot be reached. Is the remote still switched on?'); setTimeout(checkSession, 3000); });
  }

  byId('pair').addEventListener('submit', function (event) {
    event.preventDefault();
    fetch('/pair', {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ code: byId('code').value.trim(), name: byId('device').value }),
    }).then(function (response) {
      return response.json().then(function (body) {
        if (!response.ok) throw new Error(body.message);
        say('Paired.');
        connect();
      });
    }).catch(function (error) { say(error.message); });
  });

  byId('go-live').addEventListener('click', function () {
    say('Going live…');
    call('broadcast.goLive').then(function (status) { renderStatus(status); say('Live.'); }, function (error) { say(error.message); });
  });
  byId('end').addEventListener('click', function () {
    // Two taps, so a pocket touch does not end a set.
    if (!endArmed) { endArmed = true; byId('end').textContent = 'Tap again to end'; setTimeout(function () { endArmed = false; byId('end').textContent = 'End the set'; }, 4000); return; }
    endArmed = false;
    byId('end').textContent = 'End the set';
    say('Ending…');
    call('broadcast.end').then(function () { say('The set ended.'); return call('broadcast.status').then(renderStatus); }, function (error) { say(error.message); });
  });
  document.querySelectorAll('[data-player]').forEach(function (button) {
    button.addEventListener('click', function () {
      var input = { action: button.dataset.player };
      if (button.dataset.value !== undefined) input.value = Number(button.dataset.value);
      call('remote.player', input).catch(function (error) { say(error.message); });
    });
  });

  checkSession();
})();
`;
