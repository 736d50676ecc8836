import { secretArg, withAuth } from './with-auth.js';

/**
 * `contextforge user create`: creates a user (password policy and Argon2id apply; a personal team and the
 * default role are added).
 */
export async function userCreateCommand(o: {
  email: string;
  password: string;
  admin?: boolean;
  fullName?: string;
  envFile?: string;
}): Promise<void> {
  const password = await secretArg(o.password, '--password');
  await withAuth(o.envFile, async (auth) => {
    const user = await auth.users.create(
      {
        email: o.email,
        password,
        isAdmin: o.admin === true,
        ...(o.fullName ? { fullName: o.fullName } : {}),
      },
      { subject: 'cli' },
    );
    process.stdout.write(
      `created user ${user.email}${Number(user.is_admin) === 1 ? ' (platform administrator)' : ''}\n`,
    );
  });
}

/** `contextforge user reset-password`: sets a new password, unlocks the account and ends its sessions. */
export async function userResetPasswordCommand(o: {
  email: string;
  password: string;
  envFile?: string;
}): Promise<void> {
  const password = await secretArg(o.password, '--password');
  await withAuth(o.envFile, async (auth) => {
    await auth.users.setPassword(o.email, password, { subject: 'cli' });
    process.stdout.write(`password of ${o.email.trim().toLowerCase()} reset; its sessions are ended\n`);
  });
}
