//! The service catalogue (*dienstencatalogus*): the services an authorisation can name,
//! each with the level it requires. Seeding it is an upsert, so running it again changes
//! nothing that is already there.

use crate::domain::value::AssuranceLevel;
use crate::domain::value::AssuranceLevel::{Eh2, Eh2Plus, Eh3, Eh4};
use crate::domain::value::ServiceId;
use crate::error::AppError;
use crate::server::db::services::{self, ServiceRow};
use crate::server::db::Conn;

/// (id, name, provider, required level)
pub const CATALOGUE: &[(&str, &str, &str, AssuranceLevel)] = &[
    ("bd-omzetbelasting", "Aangifte omzetbelasting", "Belastingdienst", Eh3),
    ("bd-loonheffingen", "Aangifte loonheffingen", "Belastingdienst", Eh3),
    (
        "bd-vennootschapsbelasting",
        "Aangifte vennootschapsbelasting",
        "Belastingdienst",
        Eh3,
    ),
    ("bd-icp", "Opgaaf intracommunautaire prestaties", "Belastingdienst", Eh3),
    (
        "bd-inzien-berichten",
        "Berichtenbox zakelijk inzien",
        "Belastingdienst",
        Eh2Plus,
    ),
    (
        "bd-motorrijtuigenbelasting",
        "Motorrijtuigenbelasting zakelijk",
        "Belastingdienst",
        Eh3,
    ),
    ("uwv-werkgeversportaal", "Werkgeversportaal", "UWV", Eh3),
    ("uwv-ziekmelden", "Ziek- en hersteldmelden werknemers", "UWV", Eh3),
    ("uwv-polisadministratie", "Polisadministratie inzien", "UWV", Eh3),
    ("rvo-subsidies", "Subsidies en regelingen aanvragen", "RVO", Eh2Plus),
    ("rvo-mijn-rvo", "Mijn RVO", "RVO", Eh2Plus),
    ("rvo-gecombineerde-opgave", "Gecombineerde opgave landbouw", "RVO", Eh3),
    ("rvo-wbso", "WBSO aanvragen", "RVO", Eh3),
    ("kvk-wijzigingen", "Wijzigingen doorgeven Handelsregister", "KvK", Eh3),
    ("kvk-deponeren", "Jaarrekening deponeren", "KvK", Eh3),
    ("kvk-uittreksel", "Uittreksel Handelsregister opvragen", "KvK", Eh2),
    ("douane-aangifte-invoer", "Aangifte invoer (DMS)", "Douane", Eh3),
    ("douane-aangifte-uitvoer", "Aangifte uitvoer (DMS)", "Douane", Eh3),
    ("douane-vergunningen", "Douanevergunningen aanvragen", "Douane", Eh3),
    ("cibg-big-register", "BIG-register raadplegen", "CIBG", Eh3),
    ("cibg-farmatec", "Farmatec vergunningen", "CIBG", Eh4),
    ("cibg-opiumwet", "Opiumwetontheffing aanvragen", "CIBG", Eh4),
    ("duo-instellingen", "Mijn DUO instellingen", "DUO", Eh3),
    ("duo-bekostiging", "Bekostigingsgegevens onderwijs", "DUO", Eh3),
    ("cbs-enquetes", "Enquêtes bedrijven invullen", "CBS", Eh2),
    (
        "amsterdam-parkeervergunning",
        "Bedrijfsparkeervergunning",
        "Gemeente Amsterdam",
        Eh2Plus,
    ),
    (
        "rotterdam-omgevingsvergunning",
        "Omgevingsvergunning aanvragen",
        "Gemeente Rotterdam",
        Eh3,
    ),
    (
        "utrecht-bedrijvenloket",
        "Ondernemersloket",
        "Gemeente Utrecht",
        Eh2Plus,
    ),
    (
        "omgevingsloket-aanvragen",
        "Omgevingsloket: vergunning aanvragen",
        "Omgevingsloket",
        Eh3,
    ),
    (
        "svb-werkgevers",
        "Werkgeversportaal (pgb)",
        "Sociale Verzekeringsbank",
        Eh3,
    ),
    ("ind-zakelijk", "Zakelijk portaal kennismigranten", "IND", Eh3),
    ("rdw-bedrijfsvoorraad", "Bedrijfsvoorraad voertuigen", "RDW", Eh3),
    ("nvwa-certificaten", "Exportcertificaten aanvragen", "NVWA", Eh3),
    ("cjib-zakelijk", "Boetes en betalingen zakelijk", "CJIB", Eh2Plus),
];

pub async fn seed_catalogue(conn: &mut Conn) -> Result<usize, AppError> {
    for (id, name, provider, level) in CATALOGUE {
        let id = ServiceId::parse(id).map_err(|e| AppError::invalid(format!("{id}: {e}")))?;
        services::upsert(
            conn,
            &ServiceRow {
                id: id.as_ref().to_string(),
                name: name.to_string(),
                provider: provider.to_string(),
                required_level: *level,
            },
        )
        .await?;
    }
    Ok(CATALOGUE.len())
}
