/**
 * A caseworker's statutory work across processes (issue 28): the processes the caseload holds, and how much an annual
 * review weighs in a caseworker's load beside the requests (weighted by stage in ./workload.ts).
 */

export const PROCESSES = ['request', 'review'] as const;
export type Process = (typeof PROCESSES)[number];

export const PROCESS_NAMES: Record<Process, string> = {
  request: 'New request',
  review: 'Annual review',
};

/**
 * An annual review being run counts 1, as a request awaiting the decision whether to assess does, against 1.5 for a
 * request gathering advice and 2 for one whose plan is being written (./workload.ts). Most of a review's work is the
 * school's meeting and report; the caseworker arranges it, sends the invitations, reads the report and makes and
 * tells the decision (regs 20-22). A planning assumption, like the stage weights, for a council to change with its
 * own time study.
 */
export const REVIEW_WEIGHT = 1;

/**
 * A review counts in the load while it is being run: its next deadline overdue or within 8 weeks (the invitations
 * 2 weeks before the meeting, reg 20(3), and the decision 4 weeks after it, reg 20(10), with the meeting between).
 */
export const REVIEW_LOAD_WEEKS = 8;

export const REVIEW_WEIGHT_TEXT = `An annual review counts ${REVIEW_WEIGHT} while it is being run (its next deadline overdue or within ${REVIEW_LOAD_WEEKS} weeks): as much as a request awaiting the decision whether to assess. Most of a review is the school’s meeting and report; the caseworker arranges it, reads the report and makes and tells the decision.`;
