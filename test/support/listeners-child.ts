/**
 * Every listener the app starts, in a process of its own, so a request that
 * throws shows as what it would do to the preview: the process dies. Prints
 * one JSON line with the ports (and the bridge token), then serves until killed.
 */
import { startHttpBridge } from '../../main/bridge/http';
import { listenForCallback } from '../../main/auth/sign-in/loopback';
import { EventBus } from '../../main/events';

const bridge = await startHttpBridge({
  dispatch: (name) => Promise.resolve({ ok: true, value: name }),
  events: new EventBus(),
});
const loopback = await listenForCallback();
process.stdout.write(
  `${JSON.stringify({ bridge: { port: Number(new URL(bridge.origin).port), token: bridge.token }, loopback: Number(new URL(loopback.redirectUri).port) })}\n`,
);
