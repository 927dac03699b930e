import { networkInterfaces } from 'node:os';
import QRCode from 'qrcode';
import { MixdeckError, type RemoteStatus, type remoteCalls } from '../../shared/contract';
import type { Dispatcher } from '../host/dispatcher';
import { startRemoteHost, type RemoteHost } from '../host/remote-host';
import { RemotePairing, type PairingOptions } from '../services/remote/pairing';
import type { Capability, CapabilityContext } from './capability';

export interface RemoteCapabilityOptions {
  /** The dispatcher the allowed calls go through (the composition root's, made after this). */
  dispatcher: () => Dispatcher;
  pairing?: PairingOptions;
  /** Where "LAN access" listens; by default the first private IPv4 address of this computer. */
  lanAddress?: () => string | null;
}

const PRIVATE_IPV4 = /^(10\.|192\.168\.|172\.(1[6-9]|2\d|3[01])\.)/;

/** This computer's first private IPv4 address, the one a phone on the same Wi-Fi can reach. */
export function firstLanAddress(): string | null {
  for (const addresses of Object.values(networkInterfaces())) {
    for (const address of addresses ?? []) {
      if (address.family === 'IPv4' && !address.internal && PRIVATE_IPV4.test(address.address)) return address.address;
    }
  }
  return null;
}

/** The phone remote: off until the user switches it on; switched off, it forgets every phone. */
export function createRemoteCapability(context: CapabilityContext, options: RemoteCapabilityOptions): Capability<typeof remoteCalls> & { readonly pairing: RemotePairing; readonly host: () => RemoteHost | null } {
  const logger = context.logger.child('remote');
  const pairing = new RemotePairing(options.pairing);
  let host: RemoteHost | null = null;
  let lanAccess = false;

  const status = (): RemoteStatus => ({ enabled: host !== null, lanAccess: host !== null && lanAccess, url: host?.url ?? null, devices: pairing.list() });

  const stop = async (): Promise<void> => {
    const running = host;
    host = null;
    pairing.revokeAll();
    await running?.close();
  };

  return {
    pairing,
    host: () => host,
    handlers: {
      'remote.status': () => status(),
      'remote.enable': async ({ lanAccess: wantsLan }) => {
        const address = wantsLan ? (options.lanAddress ?? firstLanAddress)() : '127.0.0.1';
        if (!address) throw new MixdeckError('unavailable', 'This computer has no private network address (Wi-Fi or Ethernet) a phone could reach. Connect to your network, or use the remote on this computer only.');
        if (host && lanAccess === wantsLan) return status();
        await stop();
        host = await startRemoteHost({ dispatcher: options.dispatcher(), events: context.events, logger, pairing, host: address });
        lanAccess = wantsLan;
        return status();
      },
      'remote.disable': async () => {
        await stop();
        return status();
      },
      'remote.newCode': async () => {
        if (!host) throw new MixdeckError('conflict', 'Switch the phone remote on first (Settings › Remote).');
        const { code, expiresAtMs } = pairing.newCode();
        const svg = await QRCode.toString(host.url, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' });
        return { code, expiresAtMs, url: host.url, qrSvgDataUrl: `data:image/svg+xml;base64,${Buffer.from(svg, 'utf8').toString('base64')}` };
      },
      'remote.revoke': ({ id }) => {
        const revoked = pairing.revoke(id);
        if (revoked) logger.info('a paired phone was revoked', { device: id });
        return { revoked, devices: pairing.list() };
      },
    },
    close: stop,
  };
}
