import { planDueBatch } from './due-batch.plan';

const none = () => false;

describe('planDueBatch', () => {
  it('forwards a fully due batch and commits all of it', () => {
    const plan = planDueBatch(
      [
        { offset: '10', dueAt: 900 },
        { offset: '11', dueAt: 1000 },
      ],
      none,
      1000,
    );
    expect(plan).toEqual({
      forwardNow: [0, 1],
      processedThrough: '11',
      complete: true,
      resumeAt: undefined,
      waiting: 0,
    });
  });

  it('waits on a not-yet-due head without committing it, and resumes at its due time', () => {
    const plan = planDueBatch([{ offset: '0', dueAt: 5000 }], none, 1000);
    expect(plan).toEqual({
      forwardNow: [],
      processedThrough: null,
      complete: false,
      resumeAt: 5000,
      waiting: 1,
    });
  });

  it('forwards due records behind a not-yet-due head (jitter) but commits only the prefix', () => {
    const plan = planDueBatch(
      [
        { offset: '5', dueAt: 500 },
        { offset: '6', dueAt: 3000 },
        { offset: '7', dueAt: 900 },
        { offset: '8', dueAt: 2000 },
        { offset: '9', dueAt: 1000 },
      ],
      none,
      1000,
    );
    expect(plan.forwardNow).toEqual([0, 2, 4]);
    expect(plan.processedThrough).toBe('5');
    expect(plan.complete).toBe(false);
    expect(plan.resumeAt).toBe(2000);
    expect(plan.waiting).toBe(2);
  });

  it('skips records forwarded before and extends the commit over them', () => {
    const forwarded = new Set(['7', '9']);
    const plan = planDueBatch(
      [
        { offset: '6', dueAt: 1500 },
        { offset: '7', dueAt: 900 },
        { offset: '8', dueAt: 2500 },
        { offset: '9', dueAt: 1000 },
      ],
      (o) => forwarded.has(o),
      1600,
    );
    expect(plan.forwardNow).toEqual([0]);
    expect(plan.processedThrough).toBe('7');
    expect(plan.resumeAt).toBe(2500);
  });

  it('treats a record due within the early margin as due', () => {
    expect(planDueBatch([{ offset: '1', dueAt: 1004 }], none, 1000, 5).forwardNow).toEqual([0]);
    expect(planDueBatch([{ offset: '1', dueAt: 1006 }], none, 1000, 5).forwardNow).toEqual([]);
  });
});
