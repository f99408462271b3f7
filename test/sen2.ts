/** A small SEN2 return for tests: one child with a plan active at the census, one whose request was refused. */
import type { LocalDate } from '../src/domain/dates/localDate.js';
import { upnCheckLetter } from '../src/domain/identifiers/upn.js';
import { CENSUS_DATES } from '../src/domain/sen2/census.js';
import type { Sen2Return } from '../src/domain/sen2/model.js';

const d = (s: string) => s as LocalDate;

export function sampleReturn(year: number): Sen2Return {
  return {
    header: {
      year,
      referenceDate: CENSUS_DATES[year]!.census,
      lea: '999',
      softwareCode: 'OpenEHCP',
      release: '0.1.0',
      serialNo: '001',
      dateTime: `${year}-01-20T10:00:00`,
      dmo: 'Y',
      dco: 'Y',
      dsco: 'R',
    },
    persons: [
      {
        surname: 'O’Brien & Sons <test>',
        forename: 'Sam',
        personBirthDate: d('2016-05-04'),
        sex: 'M',
        ethnicity: 'WBRI',
        postCode: 'AB1 2CD',
        upn: `${upnCheckLetter('938201512345')}938201512345`,
        requests: [
          {
            receivedDate: d(`${year - 1}-02-03`),
            requestSource: '1',
            rya: '0',
            requestOutcomeDate: d(`${year - 1}-03-10`),
            requestOutcome: 'Y',
            assessment: {
              assessmentOutcome: 'Y',
              assessmentOutcomeDate: d(`${year - 1}-06-20`),
              week20: '0',
              namedPlan: {
                startDate: d(`${year - 1}-06-20`),
                planDetails: [
                  { urn: '117000', placementRank: '1', senUnitIndicator: '0', resourcedProvisionIndicator: '0' },
                ],
              },
            },
            activePlans: {
              placements: [
                {
                  urn: '117000',
                  placementRank: '1',
                  entryDate: d(`${year - 1}-09-01`),
                  senUnitIndicator: '0',
                  resourcedProvisionIndicator: '0',
                },
              ],
              senNeeds: [
                { senType: 'SPLD', senTypeRank: '1' },
                { senType: 'SLCN', senTypeRank: '2' },
              ],
              reviewMeeting: d(`${year - 1}-12-01`),
              lastReview: d(`${year - 1}-12-10`),
              reviewOutcome: 'M',
            },
          },
        ],
      },
      {
        surname: 'Refused',
        forename: 'Ada',
        personBirthDate: d(`${year - 4}-03-01`),
        sex: 'F',
        ethnicity: 'MWBC',
        upnUnknown: 'UN1',
        requests: [
          {
            receivedDate: d(`${year - 1}-04-01`),
            requestSource: '2',
            rya: '0',
            requestOutcomeDate: d(`${year - 1}-05-10`),
            requestOutcome: 'N',
          },
        ],
      },
    ],
  };
}
