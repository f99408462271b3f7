/**
 * Reading the phase-transfer form (formats only: a name, a 6-digit URN, a kind of setting, a real date). Whether the
 * transfer may be recorded (a ceased plan, a date in the future) is the domain's, through the service.
 */
import { isValidUrn } from '../../../domain/casework/codes.js';
import {
  NEXT_SETTING_TYPES,
  type NextSettingType,
  type PhaseTransferForm,
} from '../../../services/phaseTransfers/index.js';
import type { Body } from '../../forms.js';
import { choice, labelledDate, requiredText } from '../../validation.js';
import { readStep, stepForm } from '../casework/validation.js';

export const PHASE_TRANSFER_DATE_FIELDS = ['finalisedDate'] as const;

const SETTING_TYPES = Object.keys(NEXT_SETTING_TYPES) as [NextSettingType, ...NextSettingType[]];

const transferForm = stepForm(
  {
    nextSettingName: requiredText(
      'Enter the name of the school or setting the plan names',
      'Name of the school or setting',
      200,
    ),
    nextSettingUrn: requiredText('Enter the setting’s URN', 'URN', 6).refine(isValidUrn, {
      error: 'Enter the setting’s URN: 6 digits, like 117000',
    }),
    nextSettingType: choice(SETTING_TYPES, 'Select the kind of school or setting'),
    finalisedDate: labelledDate('The date the amended plan was finalised'),
  },
  { dates: ['finalisedDate'] },
);

/** Reads the form into the service's input, or its errors in the form's order. */
export function readPhaseTransfer(body: Body) {
  return readStep(transferForm, body, (v): PhaseTransferForm => ({ ...v }));
}
