/**
 * What a process listens on, read from /proc (Linux) the way an outside prober would see it: the
 * TCP ports and unix socket paths in LISTEN state whose socket inodes the process holds.
 */
import { readFileSync, readdirSync, readlinkSync } from 'node:fs';
import { Socket } from 'node:net';

function socketInodes(pid: number): Set<string> {
  const inodes = new Set<string>();
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (m) inodes.add(m[1]!);
    } catch {
      // the descriptor closed while we looked
    }
  }
  return inodes;
}

/** Listening TCP ports (v4 and v6) and unix socket paths of `pid`. */
export function listenersOf(pid: number): { tcpPorts: number[]; unixPaths: string[] } {
  const inodes = socketInodes(pid);
  const tcpPorts = new Set<number>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text = '';
    try {
      text = readFileSync(table, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      // local_address is col 1 ("HEXIP:HEXPORT"), st col 3 (0A = LISTEN), inode col 9
      if (cols.length > 9 && cols[3] === '0A' && inodes.has(cols[9]!))
        tcpPorts.add(parseInt(cols[1]!.split(':')[1]!, 16));
    }
  }
  const unixPaths: string[] = [];
  for (const line of readFileSync('/proc/net/unix', 'utf8').split('\n').slice(1)) {
    const cols = line.trim().split(/\s+/);
    // Flags col 3 has __SO_ACCEPTCON (0x10000) for a listening socket; inode col 6; path col 7
    if (cols.length > 6 && inodes.has(cols[6]!) && (parseInt(cols[3]!, 16) & 0x10000) !== 0)
      unixPaths.push(cols[7] ?? '(unnamed)');
  }
  return { tcpPorts: [...tcpPorts].sort((a, b) => a - b), unixPaths };
}

/**
 * Send a Postgres StartupMessage (protocol 3.0, user postgres) and return the first byte of the
 * answer: a Postgres server says `R` (authentication request) or `E`; an HTTP server says `H`.
 */
export function postgresGreeting(port: number): Promise<string> {
  const user = Buffer.from('user\0postgres\0database\0postgres\0\0');
  const message = Buffer.alloc(8 + user.length);
  message.writeInt32BE(message.length, 0);
  message.writeInt32BE(196608, 4);
  user.copy(message, 8);
  return new Promise((resolve) => {
    const socket = new Socket();
    const done = (answer: string): void => {
      socket.destroy();
      resolve(answer);
    };
    socket.setTimeout(3000, () => done('(no answer)'));
    socket.once('error', (e) => done(`(error ${(e as NodeJS.ErrnoException).code})`));
    socket.once('data', (chunk: Buffer) => done(chunk.subarray(0, 1).toString('latin1')));
    socket.once('close', () => done('(closed)'));
    socket.connect(port, '127.0.0.1', () => socket.write(message));
  });
}
