// EXPLAIN (ANALYZE, BUFFERS) of captured queries on a plain pg.Client: the plan's node types (with
// the table or index each reads), the rows, the execution time and the buffers, and a warning
// for every sequential scan of the report obligations.
import pg from 'pg';

export interface ExplainedQuery {
  /** The tables the query reads, as in its FROM / JOIN clauses. */
  tables: string[];
  sql: string;
  /** The plan tree, one line per node, indented by depth. */
  nodes: string[];
  /** The same on one line: `Hash Join(Seq Scan on A 106 rows; Hash(Seq Scan on B 10 rows))`. */
  plan: string;
  rows: number;
  planningMs: number;
  executionMs: number;
  sharedHit: number;
  sharedRead: number;
  seqScans: { table: string; rows: number }[];
  error?: string;
}

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  'Actual Rows'?: number;
  'Actual Loops'?: number;
  'Shared Hit Blocks'?: number;
  'Shared Read Blocks'?: number;
  Plans?: PlanNode[];
}

/** The obligation table, whatever the schema names it (ReportingObligation, reporting_obligation). */
export const isObligationTable = (t: string) => /reporting_?obligation/i.test(t);

/** A statement that reads (not BEGIN, COMMIT, a write, or the health check's SELECT 1). */
export const isRead = (sql: string) => /^\s*(select|with)\b/i.test(sql) && !/^\s*select\s+1\s*$/i.test(sql);

/** The tables a statement reads, as in its FROM and JOIN clauses. */
export const tablesOf = (sql: string) => [...new Set([...sql.matchAll(/\b(?:FROM|JOIN)\s+(?:"[^"]+"\.)?"([^"]+)"/gi)].map((m) => m[1]))];

export async function explainAll(url: string, captured: { text: string; values: unknown[] }[]): Promise<ExplainedQuery[]> {
  const seen = new Set<string>();
  const queries = captured.filter((q) => isRead(q.text) && !seen.has(q.text) && seen.add(q.text));
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const out: ExplainedQuery[] = [];
    for (const q of queries) {
      const tables = tablesOf(q.text);
      const sql = q.text.replace(/\s+/g, ' ').trim();
      try {
        const res = await client.query(`EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${q.text}`, q.values);
        const doc = (res.rows[0] as { 'QUERY PLAN': unknown })['QUERY PLAN'];
        const top = (typeof doc === 'string' ? JSON.parse(doc) : doc) as { Plan: PlanNode; 'Planning Time': number; 'Execution Time': number }[];
        const nodes: string[] = [];
        const seqScans: { table: string; rows: number }[] = [];
        const walk = (n: PlanNode, depth: number): string => {
          const on = n['Relation Name'] ? ` on ${n['Relation Name']}` : '';
          const using = n['Index Name'] ? ` using ${n['Index Name']}` : '';
          const rows = (n['Actual Rows'] ?? 0) * (n['Actual Loops'] ?? 1);
          const label = `${n['Node Type']}${on}${using}`;
          nodes.push(`${'  '.repeat(depth)}${label} (rows ${rows}${(n['Actual Loops'] ?? 1) > 1 ? `, ${n['Actual Loops']} loops` : ''})`);
          if (n['Node Type'] === 'Seq Scan' && n['Relation Name']) seqScans.push({ table: n['Relation Name'], rows });
          const children = (n.Plans ?? []).map((c) => walk(c, depth + 1));
          return children.length ? `${label}(${children.join('; ')})` : `${label} ${rows} rows`;
        };
        const plan = walk(top[0].Plan, 0);
        out.push({
          tables,
          sql,
          nodes,
          plan,
          rows: top[0].Plan['Actual Rows'] ?? 0,
          planningMs: top[0]['Planning Time'],
          executionMs: top[0]['Execution Time'],
          sharedHit: top[0].Plan['Shared Hit Blocks'] ?? 0,
          sharedRead: top[0].Plan['Shared Read Blocks'] ?? 0,
          seqScans,
        });
      } catch (err) {
        out.push({ tables, sql, nodes: [], plan: '', rows: 0, planningMs: 0, executionMs: 0, sharedHit: 0, sharedRead: 0, seqScans: [], error: (err as Error).message });
      }
    }
    return out;
  } finally {
    await client.end().catch(() => {});
  }
}
