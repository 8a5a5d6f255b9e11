/**
 * Deployments switch the active workflow set all at once: the caller runs these inside one
 * transaction, so a failed deploy leaves the previous set serving.
 */
import type { ActiveWorkflow, DeploymentRecord, NewDeployment, VersionRecord } from "../types.js";
import { type DeploymentRow, deploymentRecord, toJson } from "./rows.js";
import type { Statements } from "./statements.js";

export function insertDeployment(s: Statements, d: NewDeployment, now: number): DeploymentRecord {
  const names = (d.versions ?? []).map((v) => v.workflow).sort();
  const info = s.insertDeployment.run(
    d.commit,
    d.author ?? null,
    d.message ?? null,
    d.committedAt ?? null,
    now,
    d.result,
    toJson(d.errors),
    JSON.stringify(names),
  );
  const id = Number(info.lastInsertRowid);
  if (d.result === "deployed") {
    s.clearActive.run();
    for (const v of d.versions ?? []) {
      let row = s.versionIdByHash.get(v.workflow, v.hash) as { id: number } | undefined;
      if (!row) {
        const ins = s.insertVersion.run(
          v.workflow,
          v.hash,
          JSON.stringify(v.plan),
          v.source,
          v.commit ?? d.commit,
          now,
        );
        row = { id: Number(ins.lastInsertRowid) };
      }
      s.setActive.run(v.workflow, row.id, id, now);
    }
  }
  return deploymentRecord(s.deploymentById.get(id) as DeploymentRow);
}

export function readActiveWorkflows(s: Statements, version: (id: number) => VersionRecord): ActiveWorkflow[] {
  const rows = s.activeWorkflows.all() as Array<{
    workflow: string;
    version_id: number;
    deployment_id: number;
    activated_at: number;
  }>;
  return rows.map((r) => ({
    workflow: r.workflow,
    version: version(r.version_id),
    deploymentId: r.deployment_id,
    activatedAt: r.activated_at,
  }));
}
