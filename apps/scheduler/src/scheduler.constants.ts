/** Consumer group of every scheduler instance; tier partitions are shared out among them. */
export const SCHEDULER_GROUP_ID = 'herald-scheduler';
