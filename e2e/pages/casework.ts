/**
 * The casework step forms, from a new request to the final plan, as a caseworker fills them in. Each save returns to
 * the case page (CasePage) or, refused, shows the form again with the error summary.
 */
import type { Locator } from '@playwright/test';
import { ServicePage, type DateParts } from './page.js';

/** Step 1: a new request (the child, the family's contact, who asked and when). */
export class RequestForm extends ServicePage {
  async open(): Promise<void> {
    await this.page.goto('/requests/new');
    await this.check();
  }

  async child(given: string, family: string, dateOfBirth?: DateParts): Promise<void> {
    await this.page.getByLabel('First name').fill(given);
    await this.page.getByLabel('Last name').fill(family);
    if (dateOfBirth) await this.dateOfBirth(dateOfBirth);
  }

  async dateOfBirth(date: DateParts): Promise<void> {
    await this.fillDate('Date of birth', date);
  }

  get firstName(): Locator {
    return this.page.getByLabel('First name');
  }

  async sex(sex: 'Male' | 'Female'): Promise<void> {
    await this.page.getByRole('radio', { name: sex, exact: true }).check();
  }

  async noNumberReason(code: string): Promise<void> {
    await this.page.getByLabel('If neither number is known, why not?').selectOption(code);
  }

  async postcode(postcode: string): Promise<void> {
    await this.page.getByLabel('Home postcode (optional)').fill(postcode);
  }

  async primaryNeed(code: string): Promise<void> {
    await this.page.getByLabel('Primary need (optional)').selectOption(code);
  }

  /** The family's contact: name, relationship (a radio's label), and how they want to hear. */
  async contact(
    name: string,
    relationship: string,
    how: { phone: string; prefer: 'Text message' } | { email: string; prefer: 'Email' },
  ): Promise<void> {
    await this.page.getByLabel('Full name').fill(name);
    await this.page.getByRole('radio', { name: relationship, exact: relationship === 'Parent' }).check();
    if ('phone' in how) await this.page.getByLabel('Phone number (optional)').fill(how.phone);
    else await this.page.getByLabel('Email address (optional)').fill(how.email);
    await this.page.getByRole('radio', { name: how.prefer }).check();
  }

  async requestedBy(who: string): Promise<void> {
    await this.page.getByRole('radio', { name: who }).check();
  }

  async received(date: DateParts): Promise<void> {
    await this.fillDate('Date the council received the request', date);
  }

  async save(): Promise<void> {
    await this.press('Save request');
  }
}

/** Steps 2 and 5: the decisions whether to assess and whether to issue a plan. */
export class DecisionForm extends ServicePage {
  async decide(answer: 'Yes, assess' | 'Yes, issue a plan', told: DateParts): Promise<void> {
    await this.page.getByRole('radio', { name: answer }).check();
    await this.fillDate('Date the family was told', told);
    await this.press('Save decision');
  }
}

/** Step 3: asking providers for advice. */
export class AdviceRequestForm extends ServicePage {
  box(type: string): Locator {
    return this.page.getByRole('checkbox', { name: type });
  }

  /** Every provider's name field (shown for each box checked when JavaScript runs, for all without it). */
  get providers(): Locator {
    return this.page.getByLabel('Provider', { exact: true });
  }

  /** The provider field of one kind of advice, by its advice type's code ('health', 'educational_psychology'). */
  provider(code: string): Locator {
    return this.page.locator(`#provider-${code}`);
  }

  async requested(date: DateParts): Promise<void> {
    await this.fillDate('Date advice was requested', date);
  }

  async save(): Promise<void> {
    await this.press('Save advice requests');
  }
}

/** Step 4: advice received, with its document. */
export class AdviceReceivedForm extends ServicePage {
  async receive(date: DateParts, document: { name: string; mimeType: string; buffer: Buffer }): Promise<void> {
    await this.fillDate('Date received', date);
    await this.page.getByLabel('Upload the advice (optional)').setInputFiles(document);
    await this.press('Save advice');
  }
}

/** Step 6: the draft plan, section by section. */
export class DraftPlanForm extends ServicePage {
  field(label: string): Locator {
    return this.page.getByLabel(label, { exact: true });
  }

  async fill(label: string, text: string): Promise<void> {
    await this.page.getByLabel(label).fill(text);
  }

  async save(): Promise<void> {
    await this.page.getByRole('button', { name: 'Save draft plan' }).last().click();
  }

  /** A stretch of the plan's text marked as vague by the quality checks. */
  vague(text: string): Locator {
    return this.page.locator('mark.app-vague', { hasText: text });
  }
}

/** Step 7: the draft sent, a setting consulted and its reply, the family's comments. */
export class DraftSentForm extends ServicePage {
  async send(how: 'Email', sent: DateParts): Promise<void> {
    await this.page.getByRole('radio', { name: how }).check();
    await this.fillDate('Date sent', sent);
    await this.press('Save');
  }
}

export class ConsultationForm extends ServicePage {
  async consult(setting: string, sent: DateParts): Promise<void> {
    await this.page.getByLabel('Name of the school or setting').fill(setting);
    await this.fillDate('Date the setting was sent the draft', sent);
    await this.press('Save');
  }
}

export class ConsultationReplyForm extends ServicePage {
  async reply(answer: string, on: DateParts): Promise<void> {
    await this.page.getByRole('radio', { name: answer }).check();
    await this.fillDate('Date of the reply', on);
    await this.press('Save reply');
  }
}

export class FamilyCommentsForm extends ServicePage {
  async comments(text: string, received: DateParts): Promise<void> {
    await this.page.getByLabel('What the family said').fill(text);
    await this.fillDate('Date the comments were received', received);
    await this.press('Save');
  }
}

/** Step 8: the final plan with section I. */
export class FinalPlanForm extends ServicePage {
  async issue(setting: string, type: string, issued: DateParts): Promise<void> {
    await this.page.getByLabel('Name of the school or other setting').fill(setting);
    await this.page.getByLabel('Type of school or setting').fill(type);
    await this.fillDate('Date the final plan was issued', issued);
    await this.press('Issue final plan');
  }
}

/** An exception to a time limit: the duty, the regulation's reason, its evidence and dates. */
export class ExceptionForm extends ServicePage {
  async duty(name: string): Promise<void> {
    await this.page.getByRole('radio', { name }).check();
  }

  async reason(name: string): Promise<void> {
    await this.page.getByRole('radio', { name }).check();
  }

  async evidence(text: string, began: DateParts, told: DateParts): Promise<void> {
    await this.page.getByLabel('Evidence').fill(text);
    await this.fillDate('Date the exception began', began);
    await this.fillDate('Date the family was told', told);
  }

  async save(): Promise<void> {
    await this.press('Save exception');
  }
}
