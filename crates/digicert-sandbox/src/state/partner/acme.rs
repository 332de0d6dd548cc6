//! ACME contracts of Partner subaccounts: creation with the auto-renew default, reads,
//! full and partial updates with the organization-validation rule, the 30-day
//! cancellation window, SANs (at most 250), certificates, and EAB credentials.

use std::collections::BTreeMap;

use chrono::{DateTime, Months, TimeDelta, Utc};
use digicert::partner::types as pt;
use digicert::{DigicertDateTime, Secret};

use super::{forbidden, not_found};
use crate::email;
use crate::seed::AcmeContractSeed;
use crate::state::{PartnerCaller, Refusal, RefusalKind, State};

/// The ACME directory URL every contract reports: DigiCert's own (the sandbox serves no
/// ACME protocol, so there is nothing local to point an ACME client at).
pub(crate) const ACME_DIRECTORY_URL: &str = "https://acme.digicert.com/v2/acme/directory/";
/// Most SANs one contract covers (DigiCert's documented cap).
pub(crate) const MAX_SANS: usize = 250;
/// How long after its creation a contract may be canceled (DigiCert: 30 days).
const CANCEL_WINDOW_DAYS: i64 = 30;
/// A contract's term (not documented; the sandbox's choice): one year.
const TERM: Months = Months::new(12);

/// What a product demands of the organization.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Validation {
    /// Domain validation: no organization.
    Dv,
    /// Organization validation: an organization.
    Ov,
    /// Extended validation: an organization with at least one verified contact.
    Ev,
}

/// The products the sandbox knows: the three DigiCert's ACME pages name.
const PRODUCTS: [(&str, Validation); 3] = [
    ("ssl_dv_rapidssl", Validation::Dv),
    ("ssl_basic", Validation::Ov),
    ("ssl_ev_basic", Validation::Ev),
];

fn product(name: &str) -> Result<Validation, String> {
    PRODUCTS
        .iter()
        .find(|(known, _)| *known == name)
        .map(|(_, validation)| *validation)
        .ok_or_else(|| {
            let known: Vec<&str> = PRODUCTS.iter().map(|(n, _)| *n).collect();
            format!(
                "product_name_id: \"{name}\" is not a product the sandbox knows; use one of {}",
                known.join(", ")
            )
        })
}

/// A new EAB credential's values, made by the caller from fresh randomness.
#[derive(Clone)]
pub(crate) struct NewCredential {
    /// The key identifier.
    pub(crate) kid: String,
    /// The HMAC key (a secret; returned once).
    pub(crate) hmac_key: String,
}

/// One EAB credential of a contract (the HMAC key is not kept: it is returned once).
#[derive(Debug, Clone)]
struct Credential {
    kid: String,
    active: bool,
    created_at: DateTime<Utc>,
}

/// One ACME contract.
#[derive(Debug, Clone)]
pub(in crate::state) struct Contract {
    account_id: i64,
    product_name_id: String,
    validation: Validation,
    sans: Vec<String>,
    created_at: DateTime<Utc>,
    /// The end of the term as last stored; see [`Contract::term_end`].
    valid_till: DateTime<Utc>,
    organization: Option<pt::AcmeOrganization>,
    organization_validated: bool,
    auto_renew: bool,
    canceled: Option<DateTime<Utc>>,
    certificates: Vec<pt::AcmeCertificate>,
    credentials: BTreeMap<i64, Credential>,
}

impl Contract {
    /// The end of the current term at `now`: an auto-renewing, active contract renews for
    /// another term whenever one ends. `auto_renew` only changes through requests, which
    /// store this value first, so it is exact.
    fn term_end(&self, now: DateTime<Utc>) -> DateTime<Utc> {
        let mut end = self.valid_till;
        if self.auto_renew && self.canceled.is_none() {
            while end <= now {
                match end.checked_add_months(TERM) {
                    Some(next) => end = next,
                    None => break,
                }
            }
        }
        end
    }

    fn view(&self, id: i64, now: DateTime<Utc>) -> pt::AcmeContract {
        pt::AcmeContract {
            account_id: self.account_id,
            acme_contract_id: id,
            auto_renew: self.auto_renew,
            created_at: self.created_at,
            date_canceled: self.canceled,
            is_organization_validated: self.organization_validated,
            organization: self.organization.clone(),
            product_name_id: self.product_name_id.clone(),
            sans: self.sans.clone(),
            valid_till: self.term_end(now),
        }
    }

    pub(super) fn summary(&self, id: i64, now: DateTime<Utc>) -> pt::AcmeContractSummary {
        pt::AcmeContractSummary {
            acme_contract_id: Some(id),
            created_at: Some(self.created_at),
            date_canceled: self.canceled,
            product_name_id: Some(self.product_name_id.clone()),
            sans: self.sans.clone(),
            valid_till: Some(self.term_end(now)),
        }
    }

    /// Issues a new active credential with ID `id` and returns it with its HMAC key.
    fn issue(&mut self, id: i64, new: NewCredential, now: DateTime<Utc>) -> pt::AcmeEabSet {
        self.credentials.insert(
            id,
            Credential {
                kid: new.kid.clone(),
                active: true,
                created_at: now,
            },
        );
        pt::AcmeEabSet {
            credential_id: Some(id),
            hmac_key: Secret::new(new.hmac_key),
            kid: new.kid,
        }
    }

    fn revoke_all(&mut self) {
        for credential in self.credentials.values_mut() {
            credential.active = false;
        }
    }

    fn refuse_if_canceled(&self, id: i64, what: &str) -> Result<(), Refusal> {
        match self.canceled {
            Some(when) => Err(Refusal::invalid(format!(
                "ACME contract {id} was canceled on {}; {what}",
                iso(when)
            ))),
            None => Ok(()),
        }
    }

    /// Sets auto-renewal, keeping the term renewals so far have reached.
    fn set_auto_renew(&mut self, auto_renew: bool, now: DateTime<Utc>) {
        self.valid_till = self.term_end(now);
        self.auto_renew = auto_renew;
    }

    /// Replaces the organization; a change to anything but its contacts voids validation.
    fn set_organization(&mut self, organization: pt::AcmeOrganization) {
        let same_identity = self
            .organization
            .as_ref()
            .is_some_and(|old| identity(old) == identity(&organization));
        if !same_identity {
            self.organization_validated = false;
        }
        self.organization = Some(organization);
    }
}

/// The organization's own fields, whose change voids its validation (its contacts are not
/// among them).
fn identity(o: &pt::AcmeOrganization) -> [Option<&str>; 9] {
    [
        Some(o.name.as_str()),
        o.assumed_name.as_deref(),
        o.address.as_deref(),
        o.address2.as_deref(),
        o.city.as_deref(),
        o.state.as_deref(),
        o.zip.as_deref(),
        o.country.as_deref(),
        o.telephone.as_deref(),
    ]
}

/// RFC 3339 in whole seconds, as the sandbox writes timestamps.
fn iso(when: DateTime<Utc>) -> String {
    when.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// Builds a seeded contract, checking it as `POST /acme` would check a request.
pub(super) fn seed_contract(
    account_id: i64,
    seed: &AcmeContractSeed,
    credential_id: i64,
    now: DateTime<Utc>,
) -> Result<Contract, String> {
    let validation = product(&seed.product_name_id)?;
    let sans = check_sans(seed.sans.iter().map(String::as_str), "sans").map_err(|r| r.message)?;
    if sans.is_empty() {
        return Err("sans: a contract covers at least one SAN".to_owned());
    }
    if sans.len() > MAX_SANS {
        return Err(format!("sans: more than {MAX_SANS} SANs"));
    }
    match (validation, &seed.organization) {
        (Validation::Dv, Some(_)) => {
            return Err("organization: DV products take no organization".to_owned());
        }
        (Validation::Ov | Validation::Ev, None) => {
            return Err("organization: OV and EV products need an organization".to_owned());
        }
        _ => {}
    }
    if validation == Validation::Ev
        && seed
            .organization
            .as_ref()
            .is_some_and(|o| o.verified_contacts.is_empty())
    {
        return Err(
            "organization.verified_contacts: EV products need at least one verified contact"
                .to_owned(),
        );
    }
    if seed.is_organization_validated && seed.organization.is_none() {
        return Err("is_organization_validated: a contract without an organization".to_owned());
    }
    let created_at = seed.created_at.unwrap_or(now);
    let valid_till = match seed.valid_till {
        Some(valid_till) => valid_till,
        None => created_at
            .checked_add_months(TERM)
            .ok_or("created_at: too late for a term of a year")?,
    };
    if valid_till <= created_at {
        return Err("valid_till: must be after created_at".to_owned());
    }
    if seed.date_canceled.is_some_and(|c| c < created_at) {
        return Err("date_canceled: must not be before created_at".to_owned());
    }
    let credential = Credential {
        kid: format!("sandbox-seeded-kid-{credential_id:04}"),
        active: seed.date_canceled.is_none(),
        created_at,
    };
    Ok(Contract {
        account_id,
        product_name_id: seed.product_name_id.clone(),
        validation,
        sans,
        created_at,
        valid_till,
        organization: seed.organization.clone(),
        organization_validated: seed.is_organization_validated,
        auto_renew: seed.auto_renew,
        canceled: seed.date_canceled,
        certificates: seed.certificates.clone(),
        credentials: BTreeMap::from([(credential_id, credential)]),
    })
}

/// Checks SANs (each a DNS name, optionally a `*.` wildcard; the error names the first
/// bad one) and drops duplicates, compared case-insensitively, keeping the first spelling.
fn check_sans<'a>(
    names: impl IntoIterator<Item = &'a str>,
    field: &str,
) -> Result<Vec<String>, Refusal> {
    let mut out: Vec<String> = Vec::new();
    for (index, name) in names.into_iter().enumerate() {
        let host = name.strip_prefix("*.").unwrap_or(name);
        if name.len() > 253 || !email::is_valid_domain(host) {
            return Err(Refusal::invalid(format!(
                "{field}[{index}]: \"{name}\" is not a DNS name (like example.com or *.example.com)"
            )));
        }
        add_san(&mut out, name);
    }
    Ok(out)
}

fn add_san(list: &mut Vec<String>, name: &str) {
    if !list.iter().any(|s| s.eq_ignore_ascii_case(name)) {
        list.push(name.to_owned());
    }
}

/// Checks an organization from a request against the product and converts it to the
/// contract's shape: DV takes none, OV and EV need one, EV with a verified contact.
fn check_organization(
    validation: Validation,
    organization: Option<pt::AcmeOrganizationRequest>,
) -> Result<Option<pt::AcmeOrganization>, Refusal> {
    let organization = match (validation, organization) {
        (Validation::Dv, None) => return Ok(None),
        (Validation::Dv, Some(_)) => {
            return Err(Refusal::invalid(
                "organization: DV products take no organization",
            ));
        }
        (Validation::Ov | Validation::Ev, None) => {
            return Err(Refusal::invalid(
                "organization: OV and EV products need the organization with its contacts",
            ));
        }
        (_, Some(organization)) => organization,
    };
    if validation == Validation::Ev && organization.verified_contacts.is_empty() {
        return Err(Refusal::invalid(
            "organization.verified_contacts: EV products need at least one verified contact",
        ));
    }
    let fields = [
        ("name", organization.name.as_str()),
        ("address", organization.address.as_str()),
        ("city", organization.city.as_str()),
        ("state", organization.state.as_str()),
        ("zip", organization.zip.as_str()),
        ("country", organization.country.as_str()),
    ];
    for (field, value) in fields {
        if value.trim().is_empty() {
            return Err(Refusal::invalid(format!(
                "organization.{field}: must not be blank"
            )));
        }
    }
    let organization_contact = contact(organization.organization_contact, "organization_contact")?;
    let technical_contact = organization
        .technical_contact
        .map(|c| contact(c, "technical_contact"))
        .transpose()?;
    let verified_contacts = organization
        .verified_contacts
        .into_iter()
        .enumerate()
        .map(|(i, c)| contact(c, &format!("verified_contacts[{i}]")))
        .collect::<Result<_, _>>()?;
    Ok(Some(pt::AcmeOrganization {
        name: organization.name.into(),
        assumed_name: organization.assumed_name,
        address: Some(organization.address.into()),
        address2: organization.address2,
        city: Some(organization.city.into()),
        state: Some(organization.state.into()),
        zip: Some(organization.zip.into()),
        country: Some(organization.country.into()),
        telephone: organization.telephone,
        organization_contact: Some(organization_contact),
        technical_contact,
        verified_contacts,
    }))
}

fn contact(contact: pt::AcmeContactRequest, field: &str) -> Result<pt::AcmeContact, Refusal> {
    for (name, value) in [
        ("first_name", contact.first_name.as_str()),
        ("last_name", contact.last_name.as_str()),
    ] {
        if value.trim().is_empty() {
            return Err(Refusal::invalid(format!(
                "organization.{field}.{name}: must not be blank"
            )));
        }
    }
    if !email::is_valid(&contact.email) {
        return Err(Refusal::invalid(format!(
            "organization.{field}.email: \"{}\" is not a valid email address",
            contact.email
        )));
    }
    Ok(pt::AcmeContact {
        email: contact.email,
        first_name: contact.first_name.into(),
        job_title: contact.job_title,
        last_name: contact.last_name.into(),
        telephone: contact.telephone,
    })
}

impl State {
    /// The caller's contract `id`: 404 for no such contract, 403 for another account's.
    fn own_contract(&self, caller: PartnerCaller, id: i64) -> Result<&Contract, Refusal> {
        let contract = self
            .partner_data
            .contracts
            .get(&id)
            .ok_or_else(|| not_found(format!("ACME contract {id} was not found.")))?;
        if contract.account_id == caller.account_id {
            Ok(contract)
        } else {
            Err(forbidden(format!(
                "ACME contract {id} belongs to another account."
            )))
        }
    }

    fn own_contract_mut(
        &mut self,
        caller: PartnerCaller,
        id: i64,
    ) -> Result<&mut Contract, Refusal> {
        self.own_contract(caller, id)?;
        self.partner_data
            .contracts
            .get_mut(&id)
            .ok_or_else(|| not_found(format!("ACME contract {id} was not found.")))
    }

    /// `POST /acme` (subaccount keys): a new contract with its first EAB credential.
    /// Without `auto_renew` it takes the account's `auto_renew_subscription` ("1": true;
    /// "0" or no setting: false).
    pub(crate) fn create_contract(
        &mut self,
        caller: PartnerCaller,
        request: pt::CreateAcmeContractRequest,
        credential: NewCredential,
    ) -> Result<pt::AcmeContractCreated, Refusal> {
        let validation = product(&request.product_name_id).map_err(Refusal::invalid)?;
        let sans = check_sans(request.sans.iter().map(|s| s.as_str()), "sans")?;
        if sans.is_empty() {
            return Err(Refusal::invalid("sans: must list at least one SAN"));
        }
        if sans.len() > MAX_SANS {
            return Err(Refusal::invalid(format!(
                "sans: {} SANs; an ACME contract covers at most {MAX_SANS}",
                sans.len()
            )));
        }
        let organization = check_organization(validation, request.organization)?;
        let account = self.account(caller)?;
        let auto_renew = request
            .auto_renew
            .unwrap_or_else(|| account.auto_renews_by_default());
        let now = self.clock.now();
        let valid_till = now.checked_add_months(TERM).ok_or_else(|| {
            Refusal::invalid(format!(
                "the sandbox's clock is too late for a contract term ending after {}",
                iso(now)
            ))
        })?;
        let id = self.partner_data.next_contract_id.max(1);
        self.partner_data.next_contract_id = id + 1;
        let credential_id = self.next_credential_id();
        let mut contract = Contract {
            account_id: caller.account_id,
            product_name_id: request.product_name_id.into(),
            validation,
            sans,
            created_at: now,
            valid_till,
            organization,
            organization_validated: false,
            auto_renew,
            canceled: None,
            certificates: Vec::new(),
            credentials: BTreeMap::new(),
        };
        let eab_set = contract.issue(credential_id, credential, now);
        self.partner_data.contracts.insert(id, contract);
        if let Some(account) = self.partner.get_mut(&caller.account_id) {
            account.contracts.insert(id);
        }
        Ok(pt::AcmeContractCreated {
            acme_contract_id: id,
            acme_directory_url: ACME_DIRECTORY_URL.to_owned(),
            eab_set,
        })
    }

    /// `GET /acme/{id}`.
    pub(crate) fn contract(
        &self,
        caller: PartnerCaller,
        id: i64,
    ) -> Result<pt::AcmeContract, Refusal> {
        Ok(self.own_contract(caller, id)?.view(id, self.clock.now()))
    }

    /// `PUT /acme/{id}`: every changeable setting at once; an omitted `auto_renew` is
    /// false, and OV/EV contracts must send their organization.
    pub(crate) fn replace_contract(
        &mut self,
        caller: PartnerCaller,
        id: i64,
        request: pt::AcmeContractReplacement,
    ) -> Result<(), Refusal> {
        let now = self.clock.now();
        let contract = self.own_contract_mut(caller, id)?;
        contract.refuse_if_canceled(id, "a canceled contract cannot be changed")?;
        let organization = check_organization(contract.validation, request.organization)?;
        contract.set_auto_renew(request.auto_renew.unwrap_or(false), now);
        if let Some(organization) = organization {
            contract.set_organization(organization);
        }
        Ok(())
    }

    /// `PATCH /acme/{id}`: only the fields sent change.
    pub(crate) fn update_contract(
        &mut self,
        caller: PartnerCaller,
        id: i64,
        request: pt::AcmeContractUpdate,
    ) -> Result<(), Refusal> {
        let now = self.clock.now();
        let contract = self.own_contract_mut(caller, id)?;
        contract.refuse_if_canceled(id, "a canceled contract cannot be changed")?;
        let organization = match request.organization {
            Some(organization) => check_organization(contract.validation, Some(organization))?,
            None => None,
        };
        if let Some(auto_renew) = request.auto_renew {
            contract.set_auto_renew(auto_renew, now);
        }
        if let Some(organization) = organization {
            contract.set_organization(organization);
        }
        Ok(())
    }

    /// `DELETE /acme/{id}`: cancels a contract at most 30 days old (400 after that, and
    /// for a contract already canceled). Its credentials are revoked with it.
    pub(crate) fn cancel_contract(
        &mut self,
        caller: PartnerCaller,
        id: i64,
    ) -> Result<(), Refusal> {
        let now = self.clock.now();
        let contract = self.own_contract_mut(caller, id)?;
        contract.refuse_if_canceled(id, "canceling is irreversible and cannot be repeated")?;
        let closes = contract.created_at + TimeDelta::days(CANCEL_WINDOW_DAYS);
        if now > closes {
            return Err(Refusal::invalid(format!(
                "ACME contract {id} was created on {}; it could be canceled until {} (30 days after its creation). Set auto_renew to false with update_acme_contract to stop its renewal instead.",
                iso(contract.created_at),
                iso(closes)
            )));
        }
        contract.valid_till = contract.term_end(now);
        contract.canceled = Some(now);
        contract.revoke_all();
        Ok(())
    }

    /// `PUT /acme/{id}/sans`: adds SANs (those already covered are ignored), up to 250 in
    /// all; a canceled contract refuses.
    pub(crate) fn add_sans(
        &mut self,
        caller: PartnerCaller,
        id: i64,
        request: pt::AcmeSansChange,
    ) -> Result<(), Refusal> {
        let requested = check_sans(request.sans.iter().map(|s| s.as_str()), "sans")?;
        let contract = self.own_contract_mut(caller, id)?;
        contract.refuse_if_canceled(id, "SANs cannot be changed on a canceled ACME contract")?;
        if requested.is_empty() {
            return Err(Refusal::invalid("sans: must list at least one SAN"));
        }
        let mut after = contract.sans.clone();
        for name in &requested {
            add_san(&mut after, name);
        }
        if after.len() > MAX_SANS {
            return Err(Refusal::invalid(format!(
                "sans: the contract would cover {} SANs; an ACME contract covers at most {MAX_SANS} (it covers {} now)",
                after.len(),
                contract.sans.len()
            )));
        }
        contract.sans = after;
        Ok(())
    }

    /// `DELETE /acme/{id}/sans`: removes SANs (names not covered are ignored); at least one
    /// must stay, and a canceled contract refuses.
    pub(crate) fn remove_sans(
        &mut self,
        caller: PartnerCaller,
        id: i64,
        request: pt::AcmeSansChange,
    ) -> Result<(), Refusal> {
        let requested = check_sans(request.sans.iter().map(|s| s.as_str()), "sans")?;
        let contract = self.own_contract_mut(caller, id)?;
        contract.refuse_if_canceled(id, "SANs cannot be changed on a canceled ACME contract")?;
        if requested.is_empty() {
            return Err(Refusal::invalid("sans: must list at least one SAN"));
        }
        let after: Vec<String> = contract
            .sans
            .iter()
            .filter(|s| !requested.iter().any(|r| r.eq_ignore_ascii_case(s)))
            .cloned()
            .collect();
        if after.is_empty() {
            return Err(Refusal::invalid(
                "sans: a contract must keep at least one SAN; this would remove all of them",
            ));
        }
        contract.sans = after;
        Ok(())
    }

    /// `GET /acme/{id}/certificates`.
    pub(crate) fn certificates(
        &self,
        caller: PartnerCaller,
        id: i64,
    ) -> Result<pt::AcmeCertificateList, Refusal> {
        Ok(pt::AcmeCertificateList {
            certificates: self.own_contract(caller, id)?.certificates.clone(),
        })
    }

    /// `GET /acme/{id}/credentials`: every credential, active and revoked, by ID.
    pub(crate) fn credentials(
        &self,
        caller: PartnerCaller,
        id: i64,
    ) -> Result<pt::AcmeCredentialList, Refusal> {
        let contract = self.own_contract(caller, id)?;
        let credentials = contract
            .credentials
            .iter()
            .map(|(&credential_id, c)| {
                let chars: Vec<char> = c.kid.chars().collect();
                pt::AcmeCredential {
                    created_at: DigicertDateTime::from(c.created_at.naive_utc()),
                    credential_id,
                    kid_hint: chars[chars.len().saturating_sub(4)..].iter().collect(),
                    status: if c.active {
                        pt::AcmeCredentialStatus::Active
                    } else {
                        pt::AcmeCredentialStatus::Revoked
                    },
                }
            })
            .collect();
        Ok(pt::AcmeCredentialList { credentials })
    }

    /// `POST /acme/{id}/credentials/regenerate`: a new credential, after revoking the
    /// others unless `revoke_existing` is false; a canceled contract refuses.
    pub(crate) fn regenerate_credentials(
        &mut self,
        caller: PartnerCaller,
        id: i64,
        request: pt::AcmeCredentialsRegenerateRequest,
        credential: NewCredential,
    ) -> Result<pt::AcmeCredentialsRegenerated, Refusal> {
        let now = self.clock.now();
        self.own_contract(caller, id)?
            .refuse_if_canceled(id, "a canceled contract gets no new credentials")?;
        let credential_id = self.next_credential_id();
        let contract = self.own_contract_mut(caller, id)?;
        if request.revoke_existing {
            contract.revoke_all();
        }
        let eab_set = contract.issue(credential_id, credential, now);
        Ok(pt::AcmeCredentialsRegenerated {
            acme_directory_url: ACME_DIRECTORY_URL.to_owned(),
            eab_set,
        })
    }

    /// `POST /acme/{id}/credentials/revoke`: revokes every credential; the contract stays
    /// as it is. Repeating it changes nothing.
    pub(crate) fn revoke_credentials(
        &mut self,
        caller: PartnerCaller,
        id: i64,
    ) -> Result<(), Refusal> {
        self.own_contract_mut(caller, id)?.revoke_all();
        Ok(())
    }

    /// `POST /acme/{id}/credentials/revoke/{credential_id}`: revokes one credential (404
    /// if the contract has no such credential); the others stay as they are.
    pub(crate) fn revoke_credential(
        &mut self,
        caller: PartnerCaller,
        id: i64,
        credential_id: i64,
    ) -> Result<(), Refusal> {
        let credential = self
            .own_contract_mut(caller, id)?
            .credentials
            .get_mut(&credential_id)
            .ok_or_else(|| {
                not_found(format!(
                    "ACME contract {id} has no credential {credential_id}."
                ))
            })?;
        credential.active = false;
        Ok(())
    }

    /// The sandbox's stand-in for DigiCert's organization validation (a control call, not
    /// a DigiCert operation): marks the organization of contract `id` validated.
    pub(crate) fn validate_organization(&mut self, id: i64) -> Result<(), Refusal> {
        let contract = self
            .partner_data
            .contracts
            .get_mut(&id)
            .ok_or_else(|| not_found(format!("ACME contract {id} was not found.")))?;
        contract.refuse_if_canceled(id, "there is nothing left to validate")?;
        if contract.organization.is_none() {
            return Err(Refusal::new(
                RefusalKind::Invalid,
                format!("ACME contract {id} is a DV contract; it has no organization to validate"),
            ));
        }
        contract.organization_validated = true;
        Ok(())
    }
}
