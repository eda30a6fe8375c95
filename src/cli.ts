import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline/promises';
import { parseArgs } from 'node:util';
import { openDatabase } from './db/index.ts';
import { migrateToLatest, appliedMigrations } from './db/migrate.ts';
import { hasDemo, seedDemo } from './demo/index.ts';
import { createAdmin } from './modules/accounts/index.ts';
import { countSeries } from './modules/series/index.ts';
import { WEB_DIST } from './server/app.ts';
import { loadConfig, sqliteFile, type Config } from './server/config.ts';
import { createServer } from './server/index.ts';
import { installProcessPolicy } from './server/process-policy.ts';
import { wireModules } from './server/wiring.ts';

const HELP: Record<string, string> = {
  main: `colloquy — run a worldwide webinar series as one conversation

Usage: colloquy <command> [options]

Commands:
  serve            start the server (default port 3000)
  demo             seed the demo series into the configured database
  migrate          apply database migrations (--status to list them)
  admin create     create an administrator account
  backup FILE      copy the SQLite database while the server runs
  code             code responses into themes (see colloquy code --help)
  findings         state findings across groups (see colloquy findings --help)
  export           export a series' analysis: csv, xlsx, qdc, qdpx, md, docx (see colloquy export --help)

Configuration (environment): PORT, COLLOQUY_DATA (SQLite folder, default ./data), DATABASE_URL
(PostgreSQL), REDIS_URL, SMTP_URL, MAIL_FROM, PUBLIC_URL. Run "colloquy <command> --help" for more.`,
  serve: `colloquy serve [--port N] [--host H] [--data DIR] [--no-demo]

Starts Colloquy: builds the front end if needed, migrates the database, seeds the demo series
into an empty database (unless --no-demo), and listens on PORT (default 3000).`,
  demo: `colloquy demo [--data DIR]

Seeds the demo series (the 2022 founding series and an upcoming one) into the configured
database (COLLOQUY_DATA or DATABASE_URL). Does nothing if the demo is already there.`,
  migrate: `colloquy migrate [--data DIR] [--status]

Applies pending migrations. Refuses a database whose applied migrations do not match the files.`,
  admin: `colloquy admin create --email E [--name NAME] [--password-stdin] [--data DIR]

Creates an administrator. Without --password-stdin, asks for a password when run in a terminal,
and otherwise prints a one-time password.`,
  backup: `colloquy backup FILE [--data DIR]

Copies the SQLite database to FILE with SQLite's online backup, safe while the server runs.
With PostgreSQL (DATABASE_URL), use pg_dump instead: pg_dump "$DATABASE_URL" > FILE.sql`,
};

function dbFor(config: Config) {
  return openDatabase({
    databaseUrl: config.databaseUrl,
    sqliteFile: config.databaseUrl ? undefined : sqliteFile(config),
  });
}

async function buildWebIfNeeded(): Promise<void> {
  if (existsSync(WEB_DIST) && process.env.COLLOQUY_REBUILD !== '1') return;
  console.log('Building the front end (web/dist)…');
  const { build } = await import('vite');
  await build({ configFile: new URL('../web/vite.config.ts', import.meta.url).pathname, logLevel: 'warn' });
}

async function serve(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      data: { type: 'string' },
      'no-demo': { type: 'boolean' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) return help('serve');
  const config = loadConfig({
    port: values.port ? Number(values.port) : undefined,
    host: values.host,
    dataDir: values.data,
    demo: values['no-demo'] ? false : undefined,
  });
  await buildWebIfNeeded();
  const running = await createServer(config);
  if (config.demo) {
    if ((await countSeries(running.ctx.db)) === 0 && (await seedDemo(running.ctx.db)))
      running.app.log.info('Seeded the demo series into the empty database.');
  }
  await running.app.listen({ port: config.port, host: config.host });
  const where = config.databaseUrl ? 'PostgreSQL' : sqliteFile(config);
  console.log(`Colloquy is running at ${config.publicUrl} (database: ${where})`);
  let closing: Promise<void> | null = null;
  const close = () => (closing ??= running.close());
  installProcessPolicy({ log: running.app.log, shutdown: close });
  const stop = async () => {
    await close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return new Promise<number>(() => {});
}

async function demo(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { data: { type: 'string' }, help: { type: 'boolean' } },
  });
  if (values.help) return help('demo');
  const config = loadConfig({ dataDir: values.data });
  const h = dbFor(config);
  try {
    await migrateToLatest(h.db);
    if (await hasDemo(h.db)) {
      console.log('The demo series are already in this database.');
    } else {
      await seedDemo(h.db);
      console.log('Seeded the demo series.');
    }
    return 0;
  } finally {
    await h.close();
  }
}

async function migrate(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { data: { type: 'string' }, status: { type: 'boolean' }, help: { type: 'boolean' } },
  });
  if (values.help) return help('migrate');
  const h = dbFor(loadConfig({ dataDir: values.data }));
  try {
    if (values.status) {
      for (const m of await appliedMigrations(h.db)) console.log(`applied  ${m}`);
      return 0;
    }
    const applied = await migrateToLatest(h.db);
    console.log(applied.length ? `Applied: ${applied.join(', ')}` : 'The database is up to date.');
    return 0;
  } finally {
    await h.close();
  }
}

async function readPassword(fromStdin: boolean): Promise<string | undefined> {
  if (fromStdin) {
    const chunks: Buffer[] = [];
    for await (const c of process.stdin) chunks.push(c as Buffer);
    return Buffer.concat(chunks)
      .toString('utf8')
      .replace(/\r?\n$/, '');
  }
  if (!process.stdin.isTTY) return undefined;
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  const answer = await rl.question('Password (empty for a generated one-time password): ');
  rl.close();
  return answer || undefined;
}

async function admin(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  const { values } = parseArgs({
    args: rest,
    options: {
      email: { type: 'string' },
      name: { type: 'string' },
      data: { type: 'string' },
      'password-stdin': { type: 'boolean' },
      help: { type: 'boolean' },
    },
  });
  if (sub !== 'create' || values.help) return help('admin', sub !== 'create' && !values.help ? 2 : 0);
  const { accountsSchema } = await import('./modules/accounts/index.ts');
  const email = accountsSchema.Email.safeParse(values.email ?? '');
  if (!email.success) {
    console.error(`colloquy admin create: --email must be an e-mail address (got "${values.email ?? ''}").`);
    return 2;
  }
  const password = await readPassword(!!values['password-stdin']);
  if (password !== undefined && password.length < 10) {
    console.error('colloquy admin create: the password needs at least 10 characters.');
    return 2;
  }
  const h = dbFor(loadConfig({ dataDir: values.data }));
  try {
    await migrateToLatest(h.db);
    const created = await createAdmin(h.db, { email: email.data, name: values.name, password });
    console.log(`Created administrator ${created.email}.`);
    if (created.password) console.log(`One-time password: ${created.password}\nLog in and change it.`);
    return 0;
  } catch (e) {
    console.error(`colloquy admin create: ${e instanceof Error ? e.message : String(e)}`);
    return 2;
  } finally {
    await h.close();
  }
}

async function backup(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { data: { type: 'string' }, help: { type: 'boolean' } },
  });
  if (values.help) return help('backup');
  const config = loadConfig({ dataDir: values.data });
  if (config.databaseUrl) {
    console.log(
      'This Colloquy uses PostgreSQL. Back it up with pg_dump, for example:\n  pg_dump "$DATABASE_URL" > colloquy-backup.sql',
    );
    return 0;
  }
  const target = positionals[0];
  if (!target) {
    console.error('colloquy backup: give the file to write, e.g. colloquy backup colloquy-backup.sqlite');
    return 2;
  }
  if (!existsSync(sqliteFile(config))) {
    console.error(`colloquy backup: there is no database at ${sqliteFile(config)}.`);
    return 2;
  }
  const h = dbFor(config);
  try {
    await h.sqlite!.backup(target);
    console.log(`Backed up ${sqliteFile(config)} to ${target}.`);
    return 0;
  } finally {
    await h.close();
  }
}

function help(topic: string, code = 0): number {
  (code ? console.error : console.log)(HELP[topic] ?? HELP.main);
  return code;
}

/** Dispatches `colloquy <command>`; returns the exit status. */
export async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  // Commands that write without the server (the demo creates sessions, and a session gets its live
  // room through the wiring) need the modules joined as the server joins them.
  wireModules();
  try {
    switch (cmd) {
      case 'serve':
        return await serve(rest);
      case 'demo':
        return await demo(rest);
      case 'migrate':
        return await migrate(rest);
      case 'admin':
        return await admin(rest);
      case 'backup':
        return await backup(rest);
      case 'code':
      case 'findings': {
        // Resolved at run time: the analysis commands load their engine only when used.
        const modulePath = './cli/analysis-commands.ts';
        const mod = (await import(modulePath)) as {
          codeCommand(a: string[]): Promise<number>;
          findingsCommand(a: string[]): Promise<number>;
        };
        return cmd === 'code' ? await mod.codeCommand(rest) : await mod.findingsCommand(rest);
      }
      case 'export': {
        const modulePath = './cli/export-command.ts';
        const mod = (await import(modulePath)) as { exportCommand(a: string[]): Promise<number> };
        return await mod.exportCommand(rest);
      }
      case undefined:
      case '--help':
      case '-h':
      case 'help':
        return help('main');
      default:
        console.error(`colloquy: unknown command "${cmd}".\n`);
        return help('main', 2);
    }
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    if (e instanceof Error && (e as { code?: string }).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
      console.error(`colloquy ${cmd}: ${msg}`);
      return 2;
    }
    console.error(`colloquy ${cmd}: ${msg}`);
    return 1;
  }
}
