// Every tool, in the order the assistant's definitions list them.
import { book, cancel, reschedule } from './appointments';
import { checkAvailability } from './availability';
import { holdStatus, release, reserveAtomic } from './holds';
import { sendOtp, verifyOtp } from './otp';
import { joinWaitlist } from './waitlist';
import type { Tool } from './tool';

export const TOOLS: readonly Tool[] = [
  checkAvailability,
  reserveAtomic,
  sendOtp,
  verifyOtp,
  release,
  holdStatus,
  book,
  cancel,
  reschedule,
  joinWaitlist,
];

export const TOOLS_BY_NAME: ReadonlyMap<string, Tool> = new Map(TOOLS.map((t) => [t.name, t]));
