import { randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';
import type { Role } from '../../policies/index.js';

/** A seeded person of the dev provider; `stores` and `regions` are store codes and region names, as a directory would send them. */
export interface DevAccount {
  accountId: string;
  email: string;
  name: string;
  role: Exclude<Role, 'plugin'>;
  stores: string[];
  regions: string[];
  password: string;
}

interface StoredAccount extends Omit<DevAccount, 'password'> {
  salt: Buffer;
  hash: Buffer;
}

export const DEMO_STORES = [
  { code: 'A001', name: 'Demo Store A', region: 'North' },
  { code: 'B001', name: 'Demo Store B', region: 'North' },
  { code: 'C001', name: 'Demo Store C', region: 'South' },
] as const;

const SEED: Array<Omit<DevAccount, 'password' | 'email'>> = [
  { accountId: 'demo-store-staff', name: 'Sam Staff (Store A)', role: 'store_staff', stores: ['A001'], regions: [] },
  { accountId: 'demo-store-manager', name: 'Mia Manager (Store A)', role: 'store_manager', stores: ['A001'], regions: [] },
  { accountId: 'demo-regional-manager', name: 'Rex Regional (North)', role: 'regional_manager', stores: [], regions: ['North'] },
  { accountId: 'demo-central-reviewer', name: 'Cleo Central', role: 'central_reviewer', stores: [], regions: [] },
  { accountId: 'demo-lp-admin', name: 'Ada Admin', role: 'lp_admin', stores: [], regions: [] },
  { accountId: 'demo-it-integrator', name: 'Ian Integrator', role: 'it_integrator', stores: [], regions: [] },
  { accountId: 'demo-auditor', name: 'Aud Auditor', role: 'auditor', stores: [], regions: [] },
];

const hashOf = (password: string, salt: Buffer) => scryptSync(password, salt, 32);

/**
 * The dev provider's people, one per role. Passwords are random at every start (printed once) and only
 * their scrypt hashes are kept, so a dev hub left running does not offer a well-known password.
 */
export class DevAccounts {
  private readonly byId = new Map<string, StoredAccount>();
  private readonly byEmail = new Map<string, StoredAccount>();
  readonly seeded: DevAccount[];

  constructor() {
    this.seeded = SEED.map((seed) => ({ ...seed, email: `${seed.accountId.replace(/^demo-/, '')}@demo.vigil.test`, password: randomBytes(9).toString('base64url') }));
    for (const account of this.seeded) {
      const salt = randomBytes(16);
      const { password: _password, ...rest } = account;
      const stored = { ...rest, salt, hash: hashOf(account.password, salt) };
      this.byId.set(account.accountId, stored);
      this.byEmail.set(account.email, stored);
    }
  }

  find(accountId: string): StoredAccount | undefined {
    return this.byId.get(accountId);
  }

  /** The account id when the password matches; the comparison costs the same for unknown e-mails. */
  verify(email: string, password: string): string | null {
    const account = this.byEmail.get(email.trim().toLowerCase());
    const salt = account?.salt ?? Buffer.alloc(16);
    const presented = hashOf(password, salt);
    const expected = account?.hash ?? Buffer.alloc(32);
    return timingSafeEqual(presented, expected) && account ? account.accountId : null;
  }

  claimsOf(accountId: string): Record<string, unknown> | undefined {
    const account = this.byId.get(accountId);
    if (!account) return undefined;
    return { sub: account.accountId, email: account.email, email_verified: true, name: account.name, roles: [account.role], stores: account.stores, regions: account.regions };
  }
}
