//! A client's terms documents (`CreateTerms`/`UpdateTerms`/`DeleteTerms`):
//! the terms of use and the privacy policy that managed login links to on
//! its sign-up page, each a URL per language.

use super::triggers::{declared, Slot};
use serde::{Deserialize, Serialize};

/// The two documents Cognito knows, by their spec key and their `TermsName`.
pub const DOCUMENTS: [(&str, &str); 2] = [
    ("terms_of_use", "terms-of-use"),
    ("privacy_policy", "privacy-policy"),
];

/// A client's terms documents. A document that is declared is managed
/// (`false` deletes it); one that is not is left alone.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct ClientTerms {
    /// The terms of use (`TermsName` `terms-of-use`).
    #[serde(deserialize_with = "declared", skip_serializing_if = "Option::is_none")]
    pub terms_of_use: Option<Slot<TermsDocument>>,
    /// The privacy policy (`TermsName` `privacy-policy`).
    #[serde(deserialize_with = "declared", skip_serializing_if = "Option::is_none")]
    pub privacy_policy: Option<Slot<TermsDocument>>,
}

impl ClientTerms {
    /// Each document by its `TermsName`, as declared (`None`: not managed).
    pub fn documents(&self) -> [(&'static str, Option<&Slot<TermsDocument>>); 2] {
        [
            ("terms-of-use", self.terms_of_use.as_ref()),
            ("privacy-policy", self.privacy_policy.as_ref()),
        ]
    }

    pub fn document_mut(&mut self, terms_name: &str) -> Option<&mut Option<Slot<TermsDocument>>> {
        match terms_name {
            "terms-of-use" => Some(&mut self.terms_of_use),
            "privacy-policy" => Some(&mut self.privacy_policy),
            _ => None,
        }
    }
}

/// One document: where it is, per language. (`TermsSource` is `LINK` and
/// `Enforcement` `NONE`, the only values Cognito takes.)
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct TermsDocument {
    pub links: TermsLinks,
}

/// A URL per language managed login speaks; `default` is shown for every
/// language without its own. Every language is compared: one the spec does
/// not give is absent live (Cognito keeps only the map it is sent).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct TermsLinks {
    #[serde(alias = "cognito:default")]
    pub default: Option<String>,
    #[serde(alias = "cognito:dutch")]
    pub dutch: Option<String>,
    #[serde(alias = "cognito:english")]
    pub english: Option<String>,
    #[serde(alias = "cognito:french")]
    pub french: Option<String>,
    #[serde(alias = "cognito:spanish")]
    pub spanish: Option<String>,
    #[serde(alias = "cognito:german")]
    pub german: Option<String>,
    #[serde(rename = "bahasa-indonesia", alias = "cognito:bahasa-indonesia")]
    pub bahasa_indonesia: Option<String>,
    #[serde(alias = "cognito:italian")]
    pub italian: Option<String>,
    #[serde(alias = "cognito:japanese")]
    pub japanese: Option<String>,
    #[serde(alias = "cognito:korean")]
    pub korean: Option<String>,
    #[serde(rename = "portuguese-brazil", alias = "cognito:portuguese-brazil")]
    pub portuguese_brazil: Option<String>,
    #[serde(rename = "chinese-simplified", alias = "cognito:chinese-simplified")]
    pub chinese_simplified: Option<String>,
    #[serde(rename = "chinese-traditional", alias = "cognito:chinese-traditional")]
    pub chinese_traditional: Option<String>,
}

impl TermsLinks {
    /// Every language with its URL, in Cognito's order (`None`: no link).
    pub fn entries(&self) -> [(&'static str, &Option<String>); 13] {
        [
            ("default", &self.default),
            ("dutch", &self.dutch),
            ("english", &self.english),
            ("french", &self.french),
            ("spanish", &self.spanish),
            ("german", &self.german),
            ("bahasa-indonesia", &self.bahasa_indonesia),
            ("italian", &self.italian),
            ("japanese", &self.japanese),
            ("korean", &self.korean),
            ("portuguese-brazil", &self.portuguese_brazil),
            ("chinese-simplified", &self.chinese_simplified),
            ("chinese-traditional", &self.chinese_traditional),
        ]
    }

    /// The language's URL slot; `None` for a language Cognito does not know.
    pub fn get_mut(&mut self, language: &str) -> Option<&mut Option<String>> {
        Some(match language {
            "default" => &mut self.default,
            "dutch" => &mut self.dutch,
            "english" => &mut self.english,
            "french" => &mut self.french,
            "spanish" => &mut self.spanish,
            "german" => &mut self.german,
            "bahasa-indonesia" => &mut self.bahasa_indonesia,
            "italian" => &mut self.italian,
            "japanese" => &mut self.japanese,
            "korean" => &mut self.korean,
            "portuguese-brazil" => &mut self.portuguese_brazil,
            "chinese-simplified" => &mut self.chinese_simplified,
            "chinese-traditional" => &mut self.chinese_traditional,
            _ => return None,
        })
    }

    /// The `Links` map Cognito takes: `cognito:<language>` -> URL.
    pub fn to_api(&self) -> std::collections::HashMap<String, String> {
        self.entries()
            .into_iter()
            .filter_map(|(language, url)| Some((format!("cognito:{language}"), url.clone()?)))
            .collect()
    }

    /// From Cognito's `Links` map; the keys it does not know, to warn about.
    pub fn from_api<'a>(
        links: impl IntoIterator<Item = (&'a String, &'a String)>,
    ) -> (TermsLinks, Vec<String>) {
        let mut out = TermsLinks::default();
        let mut unknown = Vec::new();
        for (key, url) in links {
            let language = key.strip_prefix("cognito:").unwrap_or(key);
            match out.get_mut(language) {
                Some(slot) => *slot = Some(url.clone()),
                None => unknown.push(key.clone()),
            }
        }
        (out, unknown)
    }

    pub fn is_empty(&self) -> bool {
        self.entries().iter().all(|(_, url)| url.is_none())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn languages_round_trip_through_the_api_form() {
        let node = marked_yaml::parse_yaml(
            0,
            "terms_of_use: { links: { default: 'https://a/t', portuguese-brazil: 'https://a/pt', 'cognito:french': 'https://a/fr' } }\nprivacy_policy: false\n",
        )
        .unwrap();
        let terms: ClientTerms = marked_yaml::from_node(&node).unwrap();
        assert_eq!(terms.privacy_policy, Some(Slot::Detached));
        let links = &terms
            .terms_of_use
            .as_ref()
            .unwrap()
            .attached()
            .unwrap()
            .links;
        let api = links.to_api();
        assert_eq!(api["cognito:portuguese-brazil"], "https://a/pt");
        assert_eq!(api["cognito:french"], "https://a/fr");
        assert_eq!(api.len(), 3);
        let (back, unknown) = TermsLinks::from_api(&api);
        assert_eq!(&back, links);
        assert!(unknown.is_empty());

        let node = marked_yaml::parse_yaml(0, "terms_of_use: { links: { klingon: x } }\n").unwrap();
        assert!(marked_yaml::from_node::<ClientTerms>(&node).is_err());
    }
}
