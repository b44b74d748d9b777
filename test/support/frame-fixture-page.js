/* global window, document, location */
// One scenario of the frame handshake, chosen by the last path segment (see frame-fixtures.mjs).
// Whatever it does, it ends by telling the test page `{ fixture: 'done', scenario, received }`
// (posted to "*": test scaffolding, not the protocol), where `received` counts the messages its
// port got from the shell: 0 means the shell never used the port it was offered.
const scenario = location.pathname.split('/').pop();
const params = new URLSearchParams(location.hash.slice(1));
const origin = params.get('origin');
const nonce = params.get('nonce');
const hello = { type: 'cita-frame-hello', v: 1, nonce };
let received = 0;

function offer(data, target = window.parent, ports = 1) {
  const channels = Array.from({ length: ports }, () => new MessageChannel());
  for (const c of channels)
    c.port1.onmessage = (e) => {
      received++;
      onHost(c.port1, e.data);
    };
  target.postMessage(
    data,
    origin,
    channels.map((c) => c.port2),
  );
  return channels[0]?.port1;
}

function done(delay = 300) {
  setTimeout(() => window.top.postMessage({ fixture: 'done', scenario, received }, '*'), delay);
}

let answered = false;
function onHost(port, message) {
  if (scenario !== 'good' || message.type !== 'theme' || answered) return;
  answered = true;
  // Bad messages first (each must be dropped), then good ones.
  port.postMessage({ type: 'resize', height: -1 });
  port.postMessage({ type: 'resize', height: 50, extra: 'x' });
  port.postMessage({ type: 'event', name: 'cita-not-relayed', detail: {} });
  port.postMessage({ type: 'event', name: 'cita-signed-in', detail: { email: 'ana@example.com' } });
  port.postMessage({ type: 'navigate', url: 'https://evil.example' });
  port.postMessage({ type: 'event', name: 'cita-signed-in', detail: { session: 1 } });
  port.postMessage({ type: 'resize', height: 123 });
  port.postMessage({ type: 'ready' });
  done(100);
}

switch (scenario) {
  case 'good':
    offer(hello);
    // Arrived here from 'other-origin': the shell must refuse us, so no theme will come.
    if (params.get('navigated')) done();
    break;
  case 'wrong-nonce':
    offer({ ...hello, nonce: 'A'.repeat(22) });
    done();
    break;
  case 'malformed':
    offer({ ...hello, extra: 'x' });
    offer({ ...hello, v: 2 });
    offer(JSON.stringify(hello));
    offer(hello, window.parent, 0);
    offer(hello, window.parent, 2);
    done();
    break;
  case 'other-window': {
    // A child frame of the same origin answers for us, with the right nonce.
    const child = document.createElement('iframe');
    child.src = `/__frame/frame/fixture/child${location.hash}`;
    document.body.append(child);
    break;
  }
  case 'child':
    offer(hello, window.parent.parent);
    done();
    break;
  case 'other-origin': {
    // The shell's own iframe, navigated to another origin, answers with the right nonce.
    const url = new URL(location.href);
    url.hostname = url.hostname === 'localhost' ? '127.0.0.1' : 'localhost';
    url.pathname = url.pathname.replace(/other-origin$/, 'good');
    url.hash = `${url.hash.slice(1)}&navigated=1`;
    location.replace(url.href);
    break;
  }
}
