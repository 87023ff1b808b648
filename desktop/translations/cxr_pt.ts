<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="pt">
<context>
    <name>AnalysisWorker</name>
    <message>
        <source>the model could not be opened</source>
        <translation>não foi possível abrir o modelo</translation>
    </message>
    <message>
        <source>Heatmap failed for {name}: {reason}</source>
        <translation>Falha do mapa de calor para {name}: {reason}</translation>
    </message>
    <message>
        <source>The report could not be written: {error}</source>
        <translation>Não foi possível escrever o relatório: {error}</translation>
    </message>
    <message>
        <source>The DICOM results could not be written: {error}</source>
        <translation>Não foi possível escrever os resultados DICOM: {error}</translation>
    </message>
    <message>
        <source>Export cancelled.</source>
        <translation>Exportação cancelada.</translation>
    </message>
    <message>
        <source>Cannot write {path}: {reason}</source>
        <translation>Não é possível escrever {path}: {reason}</translation>
    </message>
</context>
<context>
    <name>ClinicInputs</name>
    <message>
        <source>Cannot use the inbox {folder}: {reason}</source>
        <extracomment>The watched folder is polled this often, and a file taken once unchanged in this many polls in a row (the ``watch`` command&apos;s defaults: a film that has rested 4–6 s).</extracomment>
        <translation>Não é possível usar a pasta de receção {folder}: {reason}</translation>
    </message>
    <message>
        <source>Cannot listen on {address}: {reason}</source>
        <translation>Não é possível escutar em {address}: {reason}</translation>
    </message>
    <message>
        <source>Cannot watch {folder}: it is not a folder</source>
        <translation>Não é possível vigiar {folder}: não é uma pasta</translation>
    </message>
    <message>
        <source>Cannot read the watched folder {folder}: {reason}</source>
        <translation>Não é possível ler a pasta vigiada {folder}: {reason}</translation>
    </message>
</context>
<context>
    <name>DropHint</name>
    <message>
        <source>Drop chest X-ray images or folders here
(PNG, JPEG, BMP, TIFF, DICOM)

or use File → Open files… / Open folder…</source>
        <translation>Arraste para aqui radiografias do tórax ou pastas
(PNG, JPEG, BMP, TIFF, DICOM)

ou use Ficheiro → Abrir ficheiros… / Abrir pasta…</translation>
    </message>
</context>
<context>
    <name>EngineOwner</name>
    <message>
        <source>The model could not be opened: {error}</source>
        <translation>Não foi possível abrir o modelo: {error}</translation>
    </message>
</context>
<context>
    <name>FilmPresenter</name>
    <message>
        <source>Select a row to view the film.</source>
        <translation>Selecione uma linha para ver a radiografia.</translation>
    </message>
    <message>
        <source>Loading {name}…</source>
        <translation>A carregar {name}…</translation>
    </message>
    <message>
        <source>{name} · {width}×{height} · {format}, {bits} bit</source>
        <translation>{name} · {width}×{height} · {format}, {bits} bits</translation>
    </message>
    <message>
        <source>Cannot show this file: {reason}</source>
        <translation>Não é possível mostrar este ficheiro: {reason}</translation>
    </message>
</context>
<context>
    <name>FilterBar</name>
    <message>
        <source>Filter by file, patient, prediction or reason…</source>
        <translation>Filtrar por ficheiro, paciente, predição ou motivo…</translation>
    </message>
    <message>
        <source>Needs review only</source>
        <translation>Só a rever</translation>
    </message>
    <message>
        <source>All statuses</source>
        <translation>Todos os estados</translation>
    </message>
    <message>
        <source>{shown} of {total} shown</source>
        <translation>{shown} de {total} mostrados</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>CXR Screening</source>
        <extracomment>How the window&apos;s width is shared at start: the table takes what its decision columns need at 1280 pixels.</extracomment>
        <translation>CXR Screening</translation>
    </message>
    <message>
        <source>Looking for models…</source>
        <translation>A procurar modelos…</translation>
    </message>
    <message>
        <source>Could not look for models: {error}</source>
        <translation>Não foi possível procurar modelos: {error}</translation>
    </message>
    <message>
        <source>{count} model(s) available</source>
        <translation>{count} modelo(s) disponível(eis)</translation>
    </message>
    <message>
        <source>No model installed</source>
        <translation>Nenhum modelo instalado</translation>
    </message>
    <message>
        <source>Busy: wait for the current job or cancel it.</source>
        <translation>Ocupado: aguarde a tarefa em curso ou cancele-a.</translation>
    </message>
    <message>
        <source>No model is available: see the Model &amp; runtime tab.</source>
        <translation>Nenhum modelo disponível: veja o separador Modelo &amp; execução.</translation>
    </message>
    <message>
        <source>Export results as CSV</source>
        <translation>Exportar resultados em CSV</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>Ficheiros CSV (*.csv)</translation>
    </message>
    <message>
        <source>Export failed</source>
        <translation>A exportação falhou</translation>
    </message>
    <message>
        <source>Cannot write {path}: {reason}</source>
        <translation>Não é possível escrever {path}: {reason}</translation>
    </message>
    <message>
        <source>Saved {path}</source>
        <translation>Guardado: {path}</translation>
    </message>
    <message>
        <source>Export PDF report</source>
        <translation>Exportar relatório PDF</translation>
    </message>
    <message>
        <source>PDF files (*.pdf)</source>
        <translation>Ficheiros PDF (*.pdf)</translation>
    </message>
    <message>
        <source>Export DICOM results into</source>
        <translation>Exportar os resultados DICOM para</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>falhou</translation>
    </message>
</context>
<context>
    <name>ModelCardView</name>
    <message>
        <source>&lt;p&gt;No model loaded.&lt;/p&gt;</source>
        <translation>&lt;p&gt;Nenhum modelo carregado.&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&lt;p&gt;&lt;i&gt;Automatic routing: each film is scored by the model validated for its population below; a film none is validated for is not scored and is flagged for review.&lt;/i&gt;&lt;/p&gt;</source>
        <translation>&lt;p&gt;&lt;i&gt;Encaminhamento automático: cada radiografia é avaliada pelo modelo validado para a sua população (abaixo); uma radiografia para a qual nenhum está validado não é avaliada e é assinalada para revisão.&lt;/i&gt;&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&lt;tr&gt;&lt;td&gt;none recorded&lt;/td&gt;&lt;/tr&gt;</source>
        <translation>&lt;tr&gt;&lt;td&gt;nenhuma registada&lt;/td&gt;&lt;/tr&gt;</translation>
    </message>
    <message>
        <source>not stated</source>
        <translation>não indicado</translation>
    </message>
    <message>
        <source>&lt;p&gt;&lt;b&gt;Intended use:&lt;/b&gt; {text}&lt;/p&gt;</source>
        <translation>&lt;p&gt;&lt;b&gt;Utilização prevista:&lt;/b&gt; {text}&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&lt;p&gt;&lt;b&gt;Validated population:&lt;/b&gt; {text}&lt;/p&gt;</source>
        <translation>&lt;p&gt;&lt;b&gt;População validada:&lt;/b&gt; {text}&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&lt;p&gt;&lt;b&gt;Trained on:&lt;/b&gt; {text}&lt;/p&gt;</source>
        <translation>&lt;p&gt;&lt;b&gt;Treinado com:&lt;/b&gt; {text}&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&lt;p&gt;&lt;b&gt;Labels:&lt;/b&gt; {labels}; &lt;b&gt;flags&lt;/b&gt; {flagged}&lt;/p&gt;</source>
        <translation>&lt;p&gt;&lt;b&gt;Etiquetas:&lt;/b&gt; {labels}; &lt;b&gt;assinala&lt;/b&gt; {flagged}&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&lt;p&gt;&lt;b&gt;Test metrics of build {build}:&lt;/b&gt;&lt;/p&gt;</source>
        <translation>&lt;p&gt;&lt;b&gt;Métricas de teste da variante {build}:&lt;/b&gt;&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&lt;p&gt;&lt;b&gt;Limitations:&lt;/b&gt;&lt;/p&gt;</source>
        <translation>&lt;p&gt;&lt;b&gt;Limitações:&lt;/b&gt;&lt;/p&gt;</translation>
    </message>
    <message>
        <source>not stated: films are never routed to this model automatically</source>
        <translation>não indicada: nenhuma radiografia é encaminhada automaticamente para este modelo</translation>
    </message>
    <message>
        <source>; never chosen automatically, only when asked for</source>
        <translation>; nunca escolhido automaticamente, só quando pedido</translation>
    </message>
    <message>
        <source>{description} (sources: {sources}){routed}</source>
        <translation>{description} (fontes: {sources}){routed}</translation>
    </message>
    <message>
        <source>Test films</source>
        <translation>Radiografias de teste</translation>
    </message>
    <message>
        <source>Accuracy</source>
        <translation>Exatidão</translation>
    </message>
    <message>
        <source>ROC AUC</source>
        <translation>AUC ROC</translation>
    </message>
    <message>
        <source>sensitivity</source>
        <translation>sensibilidade</translation>
    </message>
    <message>
        <source>specificity</source>
        <translation>especificidade</translation>
    </message>
    <message>
        <source>{label} {measure} at threshold {threshold:.3f}</source>
        <translation>{measure} de {label} no limiar {threshold:.3f}</translation>
    </message>
    <message>
        <source>Recall {label}</source>
        <translation>Revocação {label}</translation>
    </message>
    <message>
        <source>&lt;p&gt;&lt;b&gt;Safety checks:&lt;/b&gt; no figures in this card&lt;/p&gt;</source>
        <translation>&lt;p&gt;&lt;b&gt;Verificações de segurança:&lt;/b&gt; sem valores nesta ficha&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&lt;p&gt;&lt;b&gt;Safety checks:&lt;/b&gt; figures in an older format: re-attach them with converters.safety_card&lt;/p&gt;</source>
        <translation>&lt;p&gt;&lt;b&gt;Verificações de segurança:&lt;/b&gt; valores num formato antigo: volte a anexá-los com converters.safety_card&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Chest-film gate refused non-chest test images ({name}): {figure}</source>
        <translation>O filtro de radiografias do tórax recusou imagens de teste que não são do tórax ({name}): {figure}</translation>
    </message>
    <message>
        <source>wrongly refused real frontal films ({name}): {figure}</source>
        <translation>recusou por engano radiografias frontais reais ({name}): {figure}</translation>
    </message>
    <message>
        <source>source held out of fitting, {name}: refused {figure}</source>
        <translation>fonte excluída do ajuste, {name}: recusadas {figure}</translation>
    </message>
    <message>
        <source>Population check ({name}): {population}</source>
        <translation>Verificação da população ({name}): {population}</translation>
    </message>
    <message>
        <source>judged outside it ({name}): {figure}</source>
        <translation>consideradas fora dela ({name}): {figure}</translation>
    </message>
    <message>
        <source>source held out of fitting ({fold}), {name}: {figure}</source>
        <translation>fonte excluída do ajuste ({fold}), {name}: {figure}</translation>
    </message>
    <message>
        <source>&lt;p&gt;&lt;b&gt;Safety checks:&lt;/b&gt;&lt;/p&gt;</source>
        <translation>&lt;p&gt;&lt;b&gt;Verificações de segurança:&lt;/b&gt;&lt;/p&gt;</translation>
    </message>
    <message>
        <source>{count} of {films}, {rate}</source>
        <translation>{count} de {films}, {rate}</translation>
    </message>
    <message>
        <source>{counts} films</source>
        <translation>{counts} radiografias</translation>
    </message>
    <message>
        <source>n/a</source>
        <translation>n.d.</translation>
    </message>
    <message>
        <source>{value} (95% CI {low}–{high})</source>
        <translation>{value} (IC 95% {low}–{high})</translation>
    </message>
</context>
<context>
    <name>ModelPanel</name>
    <message>
        <source>Automatic (GPU if available)</source>
        <translation>Automático (GPU se disponível)</translation>
    </message>
    <message>
        <source>GPU (fall back to CPU)</source>
        <translation>GPU (senão CPU)</translation>
    </message>
    <message>
        <source>CPU only</source>
        <translation>Só CPU</translation>
    </message>
    <message>
        <source>not loaded</source>
        <translation>não carregado</translation>
    </message>
    <message>
        <source>Look for models again</source>
        <translation>Procurar modelos de novo</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>Modelo</translation>
    </message>
    <message>
        <source>Films go to</source>
        <translation>Radiografias vão para</translation>
    </message>
    <message>
        <source>Build</source>
        <translation>Variante</translation>
    </message>
    <message>
        <source>Accelerator</source>
        <translation>Acelerador</translation>
    </message>
    <message>
        <source>Threads</source>
        <translation>Threads</translation>
    </message>
    <message>
        <source>Runtime</source>
        <translation>Motor de execução</translation>
    </message>
    <message>
        <source>Notes</source>
        <translation>Notas</translation>
    </message>
    <message>
        <source>Automatic (by population)</source>
        <translation>Automático (por população)</translation>
    </message>
    <message>
        <source>&lt;p style=&apos;color:#b00020&apos;&gt;&lt;b&gt;Refused&lt;/b&gt; {folder}: {error}&lt;/p&gt;</source>
        <translation>&lt;p style=&apos;color:#b00020&apos;&gt;&lt;b&gt;Recusado&lt;/b&gt; {folder}: {error}&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Model folders searched: {folders}</source>
        <translation>Pastas de modelos procuradas: {folders}</translation>
    </message>
    <message>
        <source>none</source>
        <translation>nenhuma</translation>
    </message>
    <message>
        <source>each model&apos;s default build</source>
        <translation>variante predefinida de cada modelo</translation>
    </message>
    <message>
        <source>{name} {version} ({build}): {population}</source>
        <translation>{name} {version} ({build}): {population}</translation>
    </message>
    <message>
        <source>no stated population</source>
        <translation>sem população indicada</translation>
    </message>
    <message>
        <source>Each film goes to the model validated for its population; a film none is validated for is shown as not validated and flagged for review.</source>
        <translation>Cada radiografia vai para o modelo validado para a sua população; uma radiografia para a qual nenhum está validado é mostrada como não validada e assinalada para revisão.</translation>
    </message>
    <message>
        <source>Every film is scored by this model; films outside its population are shown as not validated and flagged for review.</source>
        <translation>Todas as radiografias são avaliadas por este modelo; as que estão fora da sua população são mostradas como não validadas e assinaladas para revisão.</translation>
    </message>
</context>
<context>
    <name>NoModelPage</name>
    <message>
        <source>Look for models again</source>
        <translation>Procurar modelos de novo</translation>
    </message>
    <message>
        <source>&lt;h2&gt;No screening model is installed&lt;/h2&gt;&lt;p&gt;This program needs a model bundle: a folder holding &lt;tt&gt;card.json&lt;/tt&gt; and a &lt;tt&gt;.tflite&lt;/tt&gt; file, provided by your program administrator.&lt;/p&gt;&lt;p&gt;To add one, copy the whole folder into &lt;b&gt;{user_folder}&lt;/b&gt; and press &lt;i&gt;Look for models again&lt;/i&gt;.&lt;/p&gt;&lt;p&gt;Folders searched:&lt;/p&gt;&lt;ul&gt;{folders}&lt;/ul&gt;</source>
        <translation>&lt;h2&gt;Nenhum modelo de rastreio está instalado&lt;/h2&gt;&lt;p&gt;Este programa precisa de um pacote de modelo: uma pasta com &lt;tt&gt;card.json&lt;/tt&gt; e um ficheiro &lt;tt&gt;.tflite&lt;/tt&gt;, fornecida pelo administrador do seu programa.&lt;/p&gt;&lt;p&gt;Para adicionar um, copie a pasta inteira para &lt;b&gt;{user_folder}&lt;/b&gt; e carregue em &lt;i&gt;Procurar modelos de novo&lt;/i&gt;.&lt;/p&gt;&lt;p&gt;Pastas procuradas:&lt;/p&gt;&lt;ul&gt;{folders}&lt;/ul&gt;</translation>
    </message>
    <message>
        <source>&lt;p&gt;Bundles found but refused (damaged or incompatible):&lt;/p&gt;&lt;ul&gt;{items}&lt;/ul&gt;</source>
        <translation>&lt;p&gt;Pacotes encontrados mas recusados (danificados ou incompatíveis):&lt;/p&gt;&lt;ul&gt;{items}&lt;/ul&gt;</translation>
    </message>
</context>
<context>
    <name>ReceiveDialog</name>
    <message>
        <source>Receive from X-ray unit</source>
        <extracomment>DICOM&apos;s limit on an AE title (PS3.5 §6.2, AE value representation).</extracomment>
        <translation>Receber do aparelho de raios X</translation>
    </message>
    <message>
        <source>Receive films from the X-ray unit and screen each one</source>
        <translation>Receber as radiografias do aparelho de raios X e rastrear cada uma</translation>
    </message>
    <message>
        <source>{address} (this computer only)</source>
        <translation>{address} (só este computador)</translation>
    </message>
    <message>
        <source>{address} (every network)</source>
        <translation>{address} (todas as redes)</translation>
    </message>
    <message>
        <source>any unit (e.g. DR_ROOM1, CR_ROOM2)</source>
        <translation>qualquer aparelho (p. ex. DR_ROOM1, CR_ROOM2)</translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation>Escolher…</translation>
    </message>
    <message>
        <source>AE title:</source>
        <translation>Título AE:</translation>
    </message>
    <message>
        <source>Port:</source>
        <translation>Porta:</translation>
    </message>
    <message>
        <source>Listen on:</source>
        <translation>Escutar em:</translation>
    </message>
    <message>
        <source>Accept only units:</source>
        <translation>Aceitar só os aparelhos:</translation>
    </message>
    <message>
        <source>Keep received films in:</source>
        <translation>Guardar as radiografias recebidas em:</translation>
    </message>
    <message>
        <source>On the X-ray unit, add a storage destination with this AE title and port and this computer&apos;s address. 127.0.0.1 only accepts films from this computer: for the unit to reach it, listen on this computer&apos;s network address (or 0.0.0.0) and list the unit&apos;s own AE title above. DICOM is not encrypted: keep it on the clinic&apos;s network.</source>
        <translation>No aparelho de raios X, adicione um destino de armazenamento com este título AE, esta porta e o endereço deste computador. 127.0.0.1 só aceita radiografias deste computador: para que o aparelho o alcance, escute no endereço de rede deste computador (ou 0.0.0.0) e indique acima o título AE do próprio aparelho. O DICOM não é cifrado: mantenha-o na rede da clínica.</translation>
    </message>
    <message>
        <source>Keep received films in</source>
        <translation>Guardar as radiografias recebidas em</translation>
    </message>
</context>
<context>
    <name>ResultDetails</name>
    <message>
        <source>This result supports and does not replace a clinician&apos;s reading.</source>
        <translation>Este resultado apoia, e não substitui, a leitura de um clínico.</translation>
    </message>
    <message>
        <source>Flagged for review at {value:.1%} or more</source>
        <translation>Assinalado para revisão a partir de {value:.1%}</translation>
    </message>
    <message>
        <source>No film selected.</source>
        <translation>Nenhuma radiografia selecionada.</translation>
    </message>
    <message>
        <source>&lt;h3&gt;{status}&lt;/h3&gt;{reason}</source>
        <translation>&lt;h3&gt;{status}&lt;/h3&gt;{reason}</translation>
    </message>
    <message>
        <source>&lt;b style=&apos;color:#c25400&apos;&gt;NEEDS REVIEW&lt;/b&gt;</source>
        <translation>&lt;b style=&apos;color:#c25400&apos;&gt;A REVER&lt;/b&gt;</translation>
    </message>
    <message>
        <source>Not flagged</source>
        <translation>Não assinalado</translation>
    </message>
    <message>
        <source>&lt;br&gt;Image quality: {score:.0f} of 100</source>
        <translation>&lt;br&gt;Qualidade da imagem: {score:.0f} de 100</translation>
    </message>
    <message>
        <source>&lt;br&gt;Scored by {model}</source>
        <translation>&lt;br&gt;Avaliado por {model}</translation>
    </message>
    <message>
        <source>&lt;p style=&apos;color:#666&apos;&gt;The model&apos;s output, not validated for this film: {prediction} ({confidence})&lt;/p&gt;</source>
        <translation>&lt;p style=&apos;color:#666&apos;&gt;Resultado do modelo, não validado para esta radiografia: {prediction} ({confidence})&lt;/p&gt;</translation>
    </message>
</context>
<context>
    <name>ResultsTableModel</name>
    <message>
        <source>OK</source>
        <translation>OK</translation>
    </message>
    <message>
        <source>Not validated</source>
        <translation>Não validado</translation>
    </message>
    <message>
        <source>Rejected</source>
        <translation>Recusado</translation>
    </message>
    <message>
        <source>Error</source>
        <translation>Erro</translation>
    </message>
    <message>
        <source>Needs review</source>
        <translation>A rever</translation>
    </message>
    <message>
        <source>⚠ warning</source>
        <translation>⚠ aviso</translation>
    </message>
    <message>
        <source>{status}: {reason}</source>
        <translation>{status}: {reason}</translation>
    </message>
    <message>
        <source>File</source>
        <extracomment>The columns after the label columns, in order (`column_of` gives their index).</extracomment>
        <translation>Ficheiro</translation>
    </message>
    <message>
        <source>Patient</source>
        <translation>Paciente</translation>
    </message>
    <message>
        <source>Prediction</source>
        <translation>Predição</translation>
    </message>
    <message>
        <source>Confidence</source>
        <translation>Confiança</translation>
    </message>
    <message>
        <source>P({label})</source>
        <translation>P({label})</translation>
    </message>
    <message>
        <source>Quality</source>
        <translation>Qualidade</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>Modelo</translation>
    </message>
    <message>
        <source>Status / reason</source>
        <translation>Estado / motivo</translation>
    </message>
    <message>
        <source>Patient ID · name · study date (DICOM files)</source>
        <translation>ID do paciente · nome · data do exame (ficheiros DICOM)</translation>
    </message>
    <message>
        <source>Why a film has no result, or what to keep in mind</source>
        <translation>Porque uma radiografia não tem resultado, ou o que ter em conta</translation>
    </message>
    <message>
        <source>Right-click to choose the columns shown</source>
        <translation>Clique com o botão direito para escolher as colunas mostradas</translation>
    </message>
</context>
<context>
    <name>ScreeningWorker</name>
    <message>
        <source>The model could not be opened; see the Model &amp; runtime tab.</source>
        <translation>Não foi possível abrir o modelo; veja o separador Modelo &amp; execução.</translation>
    </message>
    <message>
        <source>The safety checks could not be opened, so nothing was screened: {error}</source>
        <translation>Não foi possível abrir as verificações de segurança, por isso nada foi rastreado: {error}</translation>
    </message>
</context>
<context>
    <name>SidePanel</name>
    <message>
        <source>Result</source>
        <translation>Resultado</translation>
    </message>
    <message>
        <source>Model card</source>
        <translation>Ficha do modelo</translation>
    </message>
    <message>
        <source>Model &amp;&amp; runtime</source>
        <translation>Modelo &amp;&amp; execução</translation>
    </message>
</context>
<context>
    <name>StatusArea</name>
    <message>
        <source>Cancel</source>
        <extracomment>How long a transient message stays (ms); 0 keeps it until the next one. The lights&apos; colours: grey off, green on, red failed.</extracomment>
        <translation>Cancelar</translation>
    </message>
    <message>
        <source>Saved {path}</source>
        <translation>Guardado: {path}</translation>
    </message>
    <message>
        <source>Computing heatmap…</source>
        <translation>A calcular o mapa de calor…</translation>
    </message>
    <message>
        <source>Models (automatic by population): {names}</source>
        <translation>Modelos (automático por população): {names}</translation>
    </message>
    <message>
        <source>Model: {names}</source>
        <translation>Modelo: {names}</translation>
    </message>
    <message>
        <source>{models} · opening…</source>
        <translation>{models} · a abrir…</translation>
    </message>
    <message>
        <source>{models} · {runtime}</source>
        <translation>{models} · {runtime}</translation>
    </message>
    <message>
        <source> · GPU unavailable, running on CPU</source>
        <translation> · GPU indisponível, a correr no CPU</translation>
    </message>
    <message>
        <source>Received films are kept in {folder}</source>
        <translation>As radiografias recebidas são guardadas em {folder}</translation>
    </message>
    <message>
        <source>Receiving stopped: {reason}</source>
        <translation>Receção interrompida: {reason}</translation>
    </message>
    <message>
        <source>Watching stopped: {reason}</source>
        <translation>Vigilância interrompida: {reason}</translation>
    </message>
    <message>
        <source>Not receiving</source>
        <translation>Sem receção</translation>
    </message>
    <message>
        <source>Not watching a folder</source>
        <translation type="vanished">Nenhuma pasta vigiada</translation>
    </message>
    <message>
        <source>Receiving on {address}</source>
        <translation>A receber em {address}</translation>
    </message>
    <message>
        <source>Watching {folder}</source>
        <translation>A vigiar {folder}</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>A cancelar…</translation>
    </message>
    <message>
        <source>Writing DICOM results…</source>
        <translation>A escrever os resultados DICOM…</translation>
    </message>
    <message>
        <source>Looking for images…</source>
        <translation>A procurar imagens…</translation>
    </message>
    <message>
        <source>{writing} {count}</source>
        <translation>{writing} {count}</translation>
    </message>
    <message>
        <source>Writing the report…</source>
        <translation>A escrever o relatório…</translation>
    </message>
    <message>
        <source>Not watching</source>
        <translation>Sem vigilância</translation>
    </message>
    <message>
        <source>{done} / {total}</source>
        <translation>{done} / {total}</translation>
    </message>
    <message>
        <source>Writing the report… {count}</source>
        <translation type="vanished">A escrever o relatório… {count}</translation>
    </message>
    <message>
        <source>{count} · less than a minute left</source>
        <translation>{count} · falta menos de um minuto</translation>
    </message>
    <message>
        <source>{count} · about {minutes} min left</source>
        <translation>{count} · faltam cerca de {minutes} min</translation>
    </message>
    <message>
        <source>{verb}: {done} of {total} file(s) · {flagged} need review ({not_validated} not validated) · {errors} error(s), {rejected} rejected · {resumed} resumed from earlier</source>
        <translation>{verb}: {done} de {total} ficheiro(s) · {flagged} a rever ({not_validated} não validado(s)) · {errors} erro(s), {rejected} recusado(s) · {resumed} retomado(s) de antes</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>Cancelado</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>Concluído</translation>
    </message>
    <message>
        <source>No image files found there.</source>
        <translation>Nenhum ficheiro de imagem encontrado ali.</translation>
    </message>
    <message>
        <source>Screening stopped</source>
        <translation>Rastreio interrompido</translation>
    </message>
    <message>
        <source>Model could not be opened</source>
        <translation>Não foi possível abrir o modelo</translation>
    </message>
</context>
<context>
    <name>ViewerPanel</name>
    <message>
        <source>Select a row to view the film.</source>
        <extracomment>Overlays are rendered at most this large and scaled up by the view (they are smooth anyway).</extracomment>
        <translation>Selecione uma linha para ver a radiografia.</translation>
    </message>
    <message>
        <source>Level (window center)</source>
        <translation>Nível (centro da janela)</translation>
    </message>
    <message>
        <source>Window width</source>
        <translation>Largura da janela</translation>
    </message>
    <message>
        <source>Heatmap</source>
        <translation>Mapa de calor</translation>
    </message>
    <message>
        <source>Occlusion sensitivity: warm areas are where hiding the film lowers the abnormal probability most.</source>
        <translation>Sensibilidade à oclusão: as áreas quentes são onde tapar a radiografia mais baixa a probabilidade de anomalia.</translation>
    </message>
    <message>
        <source>Reset window</source>
        <translation>Repor a janela</translation>
    </message>
    <message>
        <source>Fit</source>
        <translation>Ajustar</translation>
    </message>
    <message>
        <source>Level</source>
        <translation>Nível</translation>
    </message>
    <message>
        <source>Width</source>
        <translation>Largura</translation>
    </message>
    <message>
        <source>Wheel: zoom · drag: pan · right-drag: window/level · double-click: fit</source>
        <translation>Roda: zoom · arrastar: mover · arrastar com o botão direito: janela/nível · duplo clique: ajustar</translation>
    </message>
</context>
<context>
    <name>WindowActions</name>
    <message>
        <source>&amp;File</source>
        <extracomment>Qt&apos;s translate under a short name that pyside6-lupdate still reads (it needs the context literally).</extracomment>
        <translation>&amp;Ficheiro</translation>
    </message>
    <message>
        <source>Open &amp;files…</source>
        <translation>Abrir &amp;ficheiros…</translation>
    </message>
    <message>
        <source>Open f&amp;older…</source>
        <translation>Abrir &amp;pasta…</translation>
    </message>
    <message>
        <source>Export &amp;CSV…</source>
        <translation>Exportar &amp;CSV…</translation>
    </message>
    <message>
        <source>Export &amp;PDF report…</source>
        <translation>Exportar relatório &amp;PDF…</translation>
    </message>
    <message>
        <source>Include patient fields in exports</source>
        <translation>Incluir dados do paciente nas exportações</translation>
    </message>
    <message>
        <source>Patient name, ID, birth date… from DICOM files: identifying data</source>
        <translation>Nome, ID, data de nascimento do paciente… dos ficheiros DICOM: dados identificativos</translation>
    </message>
    <message>
        <source>C&amp;lear results</source>
        <translation>&amp;Limpar resultados</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Sair</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Ver</translation>
    </message>
    <message>
        <source>Show the heatmap of films that need review</source>
        <translation>Mostrar o mapa de calor das radiografias a rever</translation>
    </message>
    <message>
        <source>&amp;Columns</source>
        <translation>&amp;Colunas</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>A&amp;juda</translation>
    </message>
    <message>
        <source>&amp;About</source>
        <translation>&amp;Acerca de</translation>
    </message>
    <message>
        <source>Main</source>
        <translation>Principal</translation>
    </message>
    <message>
        <source>Export &amp;DICOM results…</source>
        <translation>Exportar resultados &amp;DICOM…</translation>
    </message>
    <message>
        <source>A structured report and a heatmap image per scored DICOM film, for the PACS</source>
        <translation>Um relatório estruturado e uma imagem do mapa de calor por cada radiografia DICOM avaliada, para o PACS</translation>
    </message>
    <message>
        <source>&amp;Clinic</source>
        <translation>&amp;Clínica</translation>
    </message>
    <message>
        <source>&amp;Receive from X-ray unit…</source>
        <translation>&amp;Receber do aparelho de raios X…</translation>
    </message>
    <message>
        <source>&amp;Watch a folder…</source>
        <translation>&amp;Vigiar uma pasta…</translation>
    </message>
    <message>
        <source>Screen each film that appears in a folder, once it is completely written</source>
        <translation>Rastrear cada radiografia que aparece numa pasta, quando estiver completamente escrita</translation>
    </message>
</context>
<context>
    <name>dialogs</name>
    <message>
        <source>Open chest X-ray images</source>
        <extracomment>Qt&apos;s translate under a short name that pyside6-lupdate still reads (it needs the context literally).</extracomment>
        <translation>Abrir radiografias do tórax</translation>
    </message>
    <message>
        <source>Images (*.png *.jpg *.jpeg *.bmp *.tif *.tiff *.dcm *.dicom);;All files (*)</source>
        <translation>Imagens (*.png *.jpg *.jpeg *.bmp *.tif *.tiff *.dcm *.dicom);;Todos os ficheiros (*)</translation>
    </message>
    <message>
        <source>Open a folder of chest X-ray images</source>
        <translation>Abrir uma pasta de radiografias do tórax</translation>
    </message>
    <message>
        <source>Watch a folder for new films</source>
        <translation>Vigiar uma pasta para novas radiografias</translation>
    </message>
    <message>
        <source>Log file</source>
        <translation>Ficheiro de registo</translation>
    </message>
    <message>
        <source>Runtime log</source>
        <translation>Registo do motor de execução</translation>
    </message>
    <message>
        <source>Results</source>
        <translation>Resultados</translation>
    </message>
    <message>
        <source>Data folder</source>
        <translation>Pasta de dados</translation>
    </message>
    <message>
        <source>&lt;p&gt;&lt;b&gt;CXR Screening&lt;/b&gt; flags chest X-rays that need a clinician&apos;s review. It works offline; images never leave this computer.&lt;/p&gt;&lt;p&gt;A result supports and does not replace a clinician&apos;s reading.&lt;/p&gt;</source>
        <translation>&lt;p&gt;&lt;b&gt;CXR Screening&lt;/b&gt; assinala as radiografias do tórax que precisam de revisão por um clínico. Funciona sem ligação à rede; as imagens nunca saem deste computador.&lt;/p&gt;&lt;p&gt;Um resultado apoia, e não substitui, a leitura de um clínico.&lt;/p&gt;</translation>
    </message>
    <message>
        <source>About CXR Screening</source>
        <translation>Acerca do CXR Screening</translation>
    </message>
    <message>
        <source>Export DICOM results</source>
        <translation>Exportar resultados DICOM</translation>
    </message>
    <message>
        <source>There are no DICOM films to export: none of these results is a scored DICOM film. JPEG and PNG films have CSV and PDF results only.</source>
        <translation>Não há radiografias DICOM para exportar: nenhum destes resultados é uma radiografia DICOM avaliada. As radiografias JPEG e PNG só têm resultados CSV e PDF.</translation>
    </message>
    <message>
        <source>Choose a folder outside {folders}: films are taken from there, and the heatmap images would be screened as films.</source>
        <translation>Escolha uma pasta fora de {folders}: as radiografias são tiradas dali, e as imagens do mapa de calor seriam rastreadas como radiografias.</translation>
    </message>
</context>
<context>
    <name>languages</name>
    <message>
        <source>&amp;Language</source>
        <extracomment>One of `desktop.i18n.LANGUAGES`, or &quot;&quot; (`desktop.i18n.SYSTEM`) for the system&apos;s language.</extracomment>
        <translation>&amp;Idioma</translation>
    </message>
    <message>
        <source>Takes effect when the app is next started</source>
        <translation>Tem efeito no próximo arranque da aplicação</translation>
    </message>
    <message>
        <source>System language ({language})</source>
        <translation>Idioma do sistema ({language})</translation>
    </message>
</context>
<context>
    <name>pdf_report</name>
    <message>
        <source>Chest X-ray screening report</source>
        <translation>Relatório de rastreio por radiografia do tórax</translation>
    </message>
    <message>
        <source>This result supports and does not replace a clinician&apos;s reading.</source>
        <translation>Este resultado apoia, e não substitui, a leitura de um clínico.</translation>
    </message>
    <message>
        <source>page {number} of {total}</source>
        <translation>página {number} de {total}</translation>
    </message>
    <message>
        <source>automatic by population</source>
        <translation>automático por população</translation>
    </message>
    <message>
        <source>one model for every film</source>
        <translation>um só modelo para todas as radiografias</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>Data</translation>
    </message>
    <message>
        <source>Files</source>
        <translation>Ficheiros</translation>
    </message>
    <message>
        <source>Screened (ok)</source>
        <translation>Rastreados (ok)</translation>
    </message>
    <message>
        <source>Not validated</source>
        <translation>Não validado</translation>
    </message>
    <message>
        <source>Rejected</source>
        <translation>Recusado</translation>
    </message>
    <message>
        <source>Errors</source>
        <translation>Erros</translation>
    </message>
    <message>
        <source>Flagged: needs review</source>
        <translation>Assinalados: a rever</translation>
    </message>
    <message>
        <source>Models</source>
        <translation>Modelos</translation>
    </message>
    <message>
        <source>Runtime</source>
        <translation>Motor de execução</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>Modelo</translation>
    </message>
    <message>
        <source>Build file SHA-256</source>
        <translation>SHA-256 da variante</translation>
    </message>
    <message>
        <source>Operating thresholds</source>
        <translation>Limiares de decisão</translation>
    </message>
    <message>
        <source>Film</source>
        <translation>Radiografia</translation>
    </message>
    <message>
        <source>Prediction: {label}  ({confidence})</source>
        <translation>Predição: {label}  ({confidence})</translation>
    </message>
    <message>
        <source>Model output, not validated for this film: {label}  ({confidence})</source>
        <translation>Resultado do modelo, não validado para esta radiografia: {label}  ({confidence})</translation>
    </message>
    <message>
        <source>NEEDS REVIEW (flagged at the model&apos;s operating threshold)</source>
        <translation>A REVER (assinalado no limiar de decisão do modelo)</translation>
    </message>
    <message>
        <source>NEEDS REVIEW</source>
        <translation>A REVER</translation>
    </message>
    <message>
        <source>Not flagged</source>
        <translation>Não assinalado</translation>
    </message>
    <message>
        <source>Scored by: {model}</source>
        <translation>Avaliado por: {model}</translation>
    </message>
    <message>
        <source>Image quality: {score} of 100</source>
        <translation>Qualidade da imagem: {score} de 100</translation>
    </message>
    <message>
        <source>Warning: {text}</source>
        <translation>Aviso: {text}</translation>
    </message>
    <message>
        <source>Status: rejected</source>
        <translation>Estado: recusado</translation>
    </message>
    <message>
        <source>Status: error</source>
        <translation>Estado: erro</translation>
    </message>
    <message>
        <source>Error</source>
        <translation type="vanished">Erro</translation>
    </message>
    <message>
        <source>Reason: {reason}</source>
        <translation>Motivo: {reason}</translation>
    </message>
    <message>
        <source>Patient / study (included at the user&apos;s request)</source>
        <translation>Paciente / exame (incluído a pedido do utilizador)</translation>
    </message>
</context>
<context>
    <name>reasons</name>
    <message>
        <source>The file is a link that points to nothing.</source>
        <extracomment>Why a file has no result, by its reason code: `cxrcore.image.DecodeError` reasons, the scan&apos;s (``missing``, ``unreadable-folder``), the DICOM receiver&apos;s and the pipeline&apos;s own.</extracomment>
        <translation>O ficheiro é uma ligação que não aponta para nada.</translation>
    </message>
    <message>
        <source>The file cannot be opened: it may have been moved or deleted, or you may not have permission to read it.</source>
        <translation>Não é possível abrir o ficheiro: pode ter sido movido ou apagado, ou pode não ter permissão para o ler.</translation>
    </message>
    <message>
        <source>This is not an image file (a folder or a special file).</source>
        <translation>Isto não é um ficheiro de imagem (é uma pasta ou um ficheiro especial).</translation>
    </message>
    <message>
        <source>The file is empty.</source>
        <translation>O ficheiro está vazio.</translation>
    </message>
    <message>
        <source>The image is far too large to be a chest film.</source>
        <translation>A imagem é demasiado grande para ser uma radiografia do tórax.</translation>
    </message>
    <message>
        <source>The image is too small to be a chest film.</source>
        <translation>A imagem é demasiado pequena para ser uma radiografia do tórax.</translation>
    </message>
    <message>
        <source>The file holds several images; give one film per file.</source>
        <translation>O ficheiro contém várias imagens; forneça uma radiografia por ficheiro.</translation>
    </message>
    <message>
        <source>The file is not an image this program can read.</source>
        <translation>O ficheiro não é uma imagem que este programa consiga ler.</translation>
    </message>
    <message>
        <source>The file is damaged or incomplete.</source>
        <translation>O ficheiro está danificado ou incompleto.</translation>
    </message>
    <message>
        <source>This installation cannot read DICOM files.</source>
        <translation>Esta instalação não consegue ler ficheiros DICOM.</translation>
    </message>
    <message>
        <source>The DICOM file holds no image.</source>
        <translation>O ficheiro DICOM não contém nenhuma imagem.</translation>
    </message>
    <message>
        <source>The DICOM image is compressed in a format this installation cannot read.</source>
        <translation>A imagem DICOM está comprimida num formato que esta instalação não consegue ler.</translation>
    </message>
    <message>
        <source>The DICOM image is not a single gray film.</source>
        <translation>A imagem DICOM não é uma única radiografia em tons de cinzento.</translation>
    </message>
    <message>
        <source>The DICOM object received holds no film.</source>
        <translation>O objeto DICOM recebido não contém nenhuma radiografia.</translation>
    </message>
    <message>
        <source>The file or folder does not exist.</source>
        <translation>O ficheiro ou a pasta não existe.</translation>
    </message>
    <message>
        <source>The folder cannot be read.</source>
        <translation>Não é possível ler a pasta.</translation>
    </message>
    <message>
        <source>There was not enough memory to open this file.</source>
        <translation>Não havia memória suficiente para abrir este ficheiro.</translation>
    </message>
    <message>
        <source>The file could not be opened.</source>
        <translation>Não foi possível abrir o ficheiro.</translation>
    </message>
    <message>
        <source>The model could not run on this film.</source>
        <translation>Não foi possível executar o modelo nesta radiografia.</translation>
    </message>
    <message>
        <source>This does not look like a frontal chest film.</source>
        <translation>Isto não parece uma radiografia frontal do tórax.</translation>
    </message>
    <message>
        <source>The picture is far wider or taller than a chest film.</source>
        <extracomment>The gate&apos;s cheap and structural checks, by how their English reason starts (`cxrcore.safety.gate`).</extracomment>
        <translation>A imagem é muito mais larga ou mais alta do que uma radiografia do tórax.</translation>
    </message>
    <message>
        <source>This looks like a colour photograph, not an X-ray film.</source>
        <translation>Isto parece uma fotografia a cores, não uma radiografia.</translation>
    </message>
    <message>
        <source>The picture is almost blank.</source>
        <translation>A imagem está quase em branco.</translation>
    </message>
    <message>
        <source>This looks like a drawing, a printed page or a graphic, not an X-ray film.</source>
        <translation>Isto parece um desenho, uma página impressa ou um gráfico, não uma radiografia.</translation>
    </message>
    <message>
        <source>This looks like a document or a screenshot, not an X-ray film.</source>
        <translation>Isto parece um documento ou uma captura de ecrã, não uma radiografia.</translation>
    </message>
    <message>
        <source>The two lung fields of a frontal chest film are not seen side by side. Is it a side view or another part of the body?</source>
        <translation>Os dois campos pulmonares de uma radiografia frontal do tórax não se veem lado a lado. É uma radiografia de perfil ou de outra parte do corpo?</translation>
    </message>
    <message>
        <source>This does not look like a frontal chest film. Is it an upright, front-view chest film?</source>
        <extracomment>The gate&apos;s models, by kind (their English reasons are `cxrcore.safety.gate.MODEL_REASONS`).</extracomment>
        <translation>Isto não parece uma radiografia frontal do tórax. É uma radiografia do tórax de frente, com o paciente de pé?</translation>
    </message>
    <message>
        <source>This is unlike the chest films the program knows. Is it an upright, front-view chest film?</source>
        <translation>Isto é diferente das radiografias do tórax que o programa conhece. É uma radiografia do tórax de frente, com o paciente de pé?</translation>
    </message>
    <message>
        <source>The film does not look like the patients this model was validated on.</source>
        <extracomment>Why the model that scored the film was not validated for it (one model asked for by name).</extracomment>
        <translation>A radiografia não corresponde aos pacientes em que este modelo foi validado.</translation>
    </message>
    <message>
        <source>The patient&apos;s stated age is outside the ages this model was validated for.</source>
        <translation>A idade indicada do paciente está fora das idades para as quais este modelo foi validado.</translation>
    </message>
    <message>
        <source>This model states no population it was validated for.</source>
        <translation>Este modelo não indica nenhuma população para a qual tenha sido validado.</translation>
    </message>
    <message>
        <source>The film does not look like the patients any installed model was validated on, so it was not scored.</source>
        <extracomment>Why no installed model scored the film (automatic routing found none validated for it).</extracomment>
        <translation>A radiografia não corresponde aos pacientes em que qualquer um dos modelos instalados foi validado, por isso não foi avaliada.</translation>
    </message>
    <message>
        <source>No installed model was validated for the patient&apos;s stated age, so the film was not scored.</source>
        <translation>Nenhum modelo instalado foi validado para a idade indicada do paciente, por isso a radiografia não foi avaliada.</translation>
    </message>
    <message>
        <source>No installed model states the population it was validated for, so the film was not scored.</source>
        <translation>Nenhum modelo instalado indica a população para a qual foi validado, por isso a radiografia não foi avaliada.</translation>
    </message>
    <message>
        <source>Image quality is poor: the film may be blurred, noisy, heavily compressed or badly exposed. The result is less reliable; retake or rescan the film if you can.</source>
        <extracomment>Quality warnings (`cxrcore.safety.quality.QualityCheck.warn`), by how they start.</extracomment>
        <translation>A qualidade da imagem é fraca: a radiografia pode estar desfocada, com ruído, muito comprimida ou mal exposta. O resultado é menos fiável; repita ou volte a digitalizar a radiografia, se puder.</translation>
    </message>
    <message>
        <source>Details: {details}</source>
        <translation>Detalhes: {details}</translation>
    </message>
</context>
<context>
    <name>safety</name>
    <message>
        <source>Not validated for this film — read it yourself</source>
        <translation>Não validado para esta radiografia — faça a sua própria leitura</translation>
    </message>
</context>
</TS>
